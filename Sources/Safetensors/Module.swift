// Module Safetensors: safetensors reader (single file and sharded index) and writer.
// Its contents land with the issue that builds it (see Docs/ARCHITECTURE.md).
