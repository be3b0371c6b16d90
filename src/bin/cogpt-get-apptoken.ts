#!/usr/bin/env node
// CoGPT's historical name for the sign-in: `cogpt-get-apptoken` is `cogpt login`.
process.argv.splice(2, 0, "login");
await import("../main.js");
