// Module Conversion: Whole-file pipelines: convert, quantize, checksum recording and verification.
// Its contents land with the issue that builds it (see Docs/ARCHITECTURE.md).
