using AudioPrune.Interop.Keras;
using AudioPrune.Interop.Onnx.Import;

namespace AudioPrune.Interop;

/// <summary>
/// The foreign model formats MODEL may name directly. Formats that need a graph beside the weights
/// (PyTorch state_dicts, plain safetensors) go through 'audioprune import' instead.
/// </summary>
internal static class Importers
{
    public static void RegisterAll()
    {
        ModelLoader.RegisterImporter(".h5", KerasImporter.Import);
        ModelLoader.RegisterImporter(".hdf5", KerasImporter.Import);
        ModelLoader.RegisterImporter(".onnx", OnnxImporter.Import);
    }
}
