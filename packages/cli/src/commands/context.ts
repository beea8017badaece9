import { apiClient, type TApi } from "../client";
import { resolveConnection, type TConnection } from "../config";
import { type TIo } from "../io";

export interface TGlobalFlags {
  url?: string;
  token?: string;
}

export interface TCommandContext {
  io: TIo;
  connection: TConnection;
  api: TApi;
  print: (text: string) => void;
  json: (value: unknown) => void;
}

export function commandContext(io: TIo, flags: TGlobalFlags): TCommandContext {
  const connection = resolveConnection(io.env, flags);
  return {
    io,
    connection,
    api: apiClient(connection, io),
    print: (text) => io.stdout(text.endsWith("\n") ? text : `${text}\n`),
    json: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
  };
}
