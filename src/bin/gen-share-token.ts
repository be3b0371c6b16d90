#!/usr/bin/env node
// CoGPT's historical name: `gen-share-token` is `cogpt share-token`.
process.argv.splice(2, 0, "share-token");
await import("../main.js");
