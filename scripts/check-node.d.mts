// Types of check-node.mjs (plain JavaScript so that it runs on any Node version).
export declare const NODE_RANGE: string;
export declare function nodeVersionProblem(version: string): string | null;
