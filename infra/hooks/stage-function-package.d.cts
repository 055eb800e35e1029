/** Entries of dist/ that never run in Azure and are left out of the deployment package. */
export declare const DEV_ONLY_DIST_ENTRIES: readonly string[];
/** Stages host.json, a dependency-free package.json and dist/ from `root` into `outDir`. */
export declare function stageFunctionPackage(options: { root: string; outDir: string }): { main: string; outDir: string };
