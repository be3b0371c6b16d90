import { defineConfig } from "vitest/config";

// The slow release checks (`npm run test:release`, run by .ci/run after `npm test`): they pack and
// install the npm package and build every archive, minutes rather than seconds.
export default defineConfig({
  test: {
    include: ["test/release/**/*.slow-test.ts"],
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: "forks",
    fileParallelism: false,
  },
});
