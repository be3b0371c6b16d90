export * from "./fake-copilot.js";
