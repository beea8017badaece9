export declare const HEADER: "x-meridian-client-address";
export declare function resolveClientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: Set<string>): string;
export declare function install(trustedList: string | undefined): void;
