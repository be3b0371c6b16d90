import { describe, expect, it } from "vitest";
import { UpstreamError } from "../errors.js";
import { encodeFloat32Base64, normalizeEmbeddings } from "./normalize-embeddings.js";

// 1, -2 and 0.5 as little-endian float32: 00 00 80 3f | 00 00 00 c0 | 00 00 00 3f.
const vectorBase64 = "AACAPwAAAMAAAAA/";

describe("normalizeEmbeddings", () => {
  it("adds the object fields Copilot may leave out", () => {
    expect(
      normalizeEmbeddings(
        {
          data: [{ embedding: [1, -2, 0.5] }, { index: 1, embedding: [0.25] }],
          usage: { prompt_tokens: 3, total_tokens: 3 },
        },
        { model: "text-embedding-3-small" },
        "float",
      ),
    ).toEqual({
      object: "list",
      data: [
        { object: "embedding", index: 0, embedding: [1, -2, 0.5] },
        { object: "embedding", index: 1, embedding: [0.25] },
      ],
      model: "text-embedding-3-small",
      usage: { prompt_tokens: 3, total_tokens: 3 },
    });
  });

  it("encodes vectors as base64 little-endian float32 when asked", () => {
    expect(
      normalizeEmbeddings(
        {
          object: "list",
          data: [{ object: "embedding", index: 0, embedding: [1, -2, 0.5] }],
          model: "text-embedding-ada-002",
          usage: { prompt_tokens: 2 },
        },
        { model: "text-embedding-3-small" },
        "base64",
      ),
    ).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: vectorBase64 }],
      model: "text-embedding-ada-002",
      usage: { prompt_tokens: 2, total_tokens: 2 },
    });
  });

  it("writes base64 that the openai SDK's Float32Array decoding reads back", () => {
    const values = [0.1, -0.2, 3.5e-7];
    const bytes = Buffer.from(encodeFloat32Base64(values), "base64");
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toEqual(values.map((value) => Math.fround(value)));
  });

  it("decodes base64 vectors from upstream when the client wants floats", () => {
    expect(
      normalizeEmbeddings(
        { data: [{ index: 0, embedding: vectorBase64 }] },
        { model: "m" },
        "float",
      ),
    ).toEqual({
      object: "list",
      data: [{ object: "embedding", index: 0, embedding: [1, -2, 0.5] }],
      model: "m",
      usage: { prompt_tokens: 0, total_tokens: 0 },
    });
  });

  it("throws an UpstreamError for answers without a data list or with bad vectors", () => {
    expect(() => normalizeEmbeddings({ error: "no" }, { model: "m" }, "float")).toThrow(
      new UpstreamError(502, "Copilot sent malformed embeddings: the answer has no `data` list", {
        code: "upstream_malformed_response",
      }),
    );
    expect(() =>
      normalizeEmbeddings({ data: [{ embedding: ["1"] }] }, { model: "m" }, "float"),
    ).toThrow(
      "Copilot sent malformed embeddings: an embedding is neither a list of numbers nor base64 text",
    );
  });
});
