// Module ReferenceModel: fp32 reference forward pass of the Llama 3 architecture.
// Its contents land with the issue that builds it (see Docs/ARCHITECTURE.md).
