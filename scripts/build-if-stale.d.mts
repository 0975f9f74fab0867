/** Where the time of dist/'s last build is kept, relative to the project root. */
export declare const STAMP: string;
/** Whether dist/ under `root` must be built: never built, or an input changed after it. */
export declare function needsBuild(root: string): boolean;
