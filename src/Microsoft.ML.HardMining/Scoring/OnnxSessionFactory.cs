using Microsoft.ML.OnnxRuntime;

namespace Microsoft.ML.HardMining.Scoring;

/// <summary>Opens the <see cref="InferenceSession"/> of a scorer: CUDA when asked, CPU otherwise or as the fallback.</summary>
internal static class OnnxSessionFactory
{
    internal const string CudaLibraries = "libonnxruntime_providers_cuda plus CUDA 13 (libcudart.so.13, libcublas.so.13, libcublasLt.so.13) and cuDNN 9";

    /// <summary>Opens a session; <paramref name="providerLine"/> says which execution provider runs and why.</summary>
    public static InferenceSession Open(OnnxScoringOptions options, out string providerLine)
    {
        var path = CheckModelFile(options.ModelPath);
        if (options.GpuDeviceId is not int deviceId)
        {
            var cpu = OpenOnCpu(path, options);
            providerLine = "CPU execution provider";
            return cpu;
        }

        Exception? cudaFailure = null;
        SessionOptions? gpuOptions = null;
        try
        {
            gpuOptions = CreateSessionOptions(options);
            gpuOptions.AppendExecutionProvider_CUDA(deviceId);
            var session = new InferenceSession(path, gpuOptions);
            providerLine = $"CUDA execution provider on GPU {deviceId}";
            return session;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            cudaFailure = e;
        }
        finally
        {
            gpuOptions?.Dispose();
        }

        // The failure may come from the model rather than from CUDA: a CPU session tells which.
        var fallback = OpenOnCpu(path, options);
        if (!options.FallbackToCpu)
        {
            fallback.Dispose();
            throw new InvalidOperationException(CudaFailureMessage(path, deviceId, cudaFailure), cudaFailure);
        }

        providerLine = $"CPU execution provider (fallback: CUDA execution provider on GPU {deviceId} unavailable: {FirstLine(cudaFailure)})";
        return fallback;
    }

    private static string CudaFailureMessage(string path, int deviceId, Exception failure)
    {
        var cause = failure is EntryPointNotFoundException
            ? "the application carries the CPU-only ONNX Runtime native package (Microsoft.ML.OnnxRuntime), which has no CUDA execution provider; " +
              "reference Microsoft.ML.OnnxRuntime.Gpu (or .Gpu.Linux / .Gpu.Windows) instead, never both"
            : $"the CUDA execution provider needs {CudaLibraries} on the library path and a visible GPU {deviceId}; install them";
        return $"OnnxBatchScorer could not start the CUDA execution provider on GPU {deviceId} for model '{path}': {FirstLine(failure)}. " +
               $"Cause: {cause}. Or set {nameof(OnnxScoringOptions.FallbackToCpu)} = true to run on the CPU, or leave {nameof(OnnxScoringOptions.GpuDeviceId)} unset.";
    }

    private static string FirstLine(Exception e)
    {
        var message = e.Message.Trim();
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }

    private static InferenceSession OpenOnCpu(string path, OnnxScoringOptions options)
    {
        using var sessionOptions = CreateSessionOptions(options);
        try
        {
            return new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"Model file '{path}' could not be loaded by ONNX Runtime: {FirstLine(e)}. Check that it is a complete, valid ONNX model.", e);
        }
    }

    private static SessionOptions CreateSessionOptions(OnnxScoringOptions options)
    {
        // ONNX Runtime writes its warnings (unused initializers removed) and errors (a NaN input, in colour) to stderr; the
        // library writes nothing to the console, and every failure it can see becomes an exception that names the model.
        var sessionOptions = new SessionOptions { GraphOptimizationLevel = options.GraphOptimizationLevel, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        if (options.IntraOpNumThreads is int intra)
            sessionOptions.IntraOpNumThreads = intra;
        if (options.InterOpNumThreads is int inter)
            sessionOptions.InterOpNumThreads = inter;
        return sessionOptions;
    }

    private static string CheckModelFile(string modelPath)
    {
        if (string.IsNullOrWhiteSpace(modelPath))
            throw new ArgumentException($"{nameof(OnnxScoringOptions.ModelPath)} is empty: give the path of an .onnx model file.", nameof(modelPath));
        var path = Path.GetFullPath(modelPath);
        if (!File.Exists(path))
            throw new FileNotFoundException($"ONNX model file '{path}' does not exist (from {nameof(OnnxScoringOptions.ModelPath)} '{modelPath}').", path);
        return path;
    }
}
