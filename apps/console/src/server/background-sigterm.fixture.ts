/**
 * Test fixture (background.test.ts): stands in for `next start` under the launcher. Next runs
 * there with NEXT_MANUAL_SIG_HANDLE set, so it installs no signal handler of its own and keeps
 * its HTTP server open; its instrumentation hook starts the background work. Prints "ready".
 */
import http from "node:http";
import { startBackgroundWork } from "./background";

const server = http.createServer((_req, res) => res.end("ok"));
server.listen(0, "127.0.0.1");
const background = startBackgroundWork();
await background.worker?.ready;
console.log("ready");
