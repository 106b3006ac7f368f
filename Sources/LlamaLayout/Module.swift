// Module LlamaLayout: Llama 3 hyper-parameters, HF <-> GGUF tensor names, GQA shape validation, vocabulary <-> GGUF bridge.
// Its contents land with the issue that builds it (see Docs/ARCHITECTURE.md).
