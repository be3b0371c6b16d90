#!/usr/bin/env node
// CoGPT's historical name for the server: `cogpt-api` is `cogpt serve`.
process.argv.splice(2, 0, "serve");
await import("../main.js");
