// Types of source-stamp.js, for the TypeScript that reads it (bench/startup).
export declare const DIST_DIR: string;
export declare const STAMP_FILE: string;
export declare function sourceStamp(root: string): string;
