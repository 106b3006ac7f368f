// Module GGUF: GGUF v3 (and v2) reader and streaming writer over ModelIO byte sources.
// Its contents land with the issue that builds it (see Docs/ARCHITECTURE.md).
