import { locateFixturesDir } from "./fake-copilot/fixtures.js";

/** The recorded Copilot payloads (COGPT_FIXTURES_DIR, else `test/fixtures/copilot`). */
export const fixturesDir: string = locateFixturesDir();
