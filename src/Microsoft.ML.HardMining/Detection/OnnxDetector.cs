using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Microsoft.ML.HardMining.Detection;

/// <summary>
/// Runs an ONNX detector on images through ONNX Runtime's <see cref="InferenceSession"/> directly:
/// fit the image to the input, run, decode, cap, NMS, and map the boxes back to the original image.
/// </summary>
/// <remarks>
/// One session per detector; <see cref="Detect(RgbImage)"/> is safe to call from several threads (ONNX Runtime
/// sessions are). The model's declared output shapes are checked against the decoder when the
/// detector is created, so a wrong decoder fails early with both shapes in the message.
/// </remarks>
public sealed class OnnxDetector : IDisposable
{
    private readonly InferenceSession _session;
    private readonly OnnxDetectorOptions _options;
    private readonly IDetectionDecoder _decoder;
    private readonly string _inputName;
    private readonly string[] _outputNames;

    /// <summary>Loads the model and checks it against the decoder.</summary>
    /// <param name="modelPath">ONNX file.</param>
    /// <param name="options">Options; <see cref="OnnxDetectorOptions.Decoder"/> is required.</param>
    public OnnxDetector(string modelPath, OnnxDetectorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(options);
        // A copy, checked now: options changed after construction must not reach Detect half-way.
        options = options.Clone();
        options.Validate();
        _decoder = options.Decoder ?? throw new ArgumentException($"{nameof(OnnxDetectorOptions)}.{nameof(OnnxDetectorOptions.Decoder)} is required: pick the decoder matching the model's outputs.", nameof(options));
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"ONNX model '{modelPath}' does not exist.", modelPath);
        _options = options;
        // Fatal level: ONNX Runtime prints BlazeFace's "removing unused initializer" warnings, and its own errors, to stderr
        // otherwise; the library writes nothing to the console, and failures reach the caller as exceptions.
        using var so = new SessionOptions { IntraOpNumThreads = Math.Max(1, options.IntraOpThreads), InterOpNumThreads = 1, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        try
        {
            _session = new InferenceSession(modelPath, so);
        }
        catch (OnnxRuntimeException ex)
        {
            throw new InvalidDataException($"ONNX model '{modelPath}' could not be loaded: {ex.Message}", ex);
        }
        try
        {
            _inputName = options.InputName ?? (_session.InputMetadata.Count == 1
                ? _session.InputMetadata.Keys.First()
                : throw new ArgumentException($"Model '{modelPath}' has {_session.InputMetadata.Count} inputs ({string.Join(", ", _session.InputMetadata.Keys)}); set {nameof(OnnxDetectorOptions.InputName)}.", nameof(options)));
            if (!_session.InputMetadata.TryGetValue(_inputName, out var input))
                throw new ArgumentException($"Model '{modelPath}' has no input '{_inputName}'; it has {string.Join(", ", _session.InputMetadata.Keys)}.", nameof(options));
            var dims = input.Dimensions;
            if (dims.Length != 4)
                throw new InvalidOperationException($"Input '{_inputName}' of '{modelPath}' has shape {DetectionTensor.FormatShape(dims)}; an image input needs 4 dimensions ({(options.Layout == ImageTensorLayout.Nhwc ? "[1, H, W, 3]" : "[1, 3, H, W]")}).");
            var (hAxis, wAxis, cAxis) = options.Layout == ImageTensorLayout.Nhwc ? (1, 2, 3) : (2, 3, 1);
            if (dims[cAxis] >= 0 && dims[cAxis] != 3)
                throw new InvalidOperationException($"Input '{_inputName}' of '{modelPath}' has shape {DetectionTensor.FormatShape(dims)}: {dims[cAxis]} channels where the {options.Layout} layout puts the 3 RGB channels. Check {nameof(OnnxDetectorOptions.Layout)}.");
            InputWidth = options.InputWidth ?? (dims[wAxis] > 0 ? dims[wAxis] : throw new ArgumentException($"Input '{_inputName}' has a dynamic width; set {nameof(OnnxDetectorOptions.InputWidth)}.", nameof(options)));
            InputHeight = options.InputHeight ?? (dims[hAxis] > 0 ? dims[hAxis] : throw new ArgumentException($"Input '{_inputName}' has a dynamic height; set {nameof(OnnxDetectorOptions.InputHeight)}.", nameof(options)));
            _decoder.CheckOutputs(_session.OutputMetadata.ToDictionary(kv => kv.Key, kv => kv.Value.Dimensions));
            _outputNames = _decoder.OutputNames.ToArray();
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        ModelPath = modelPath;
    }

    /// <summary>
    /// A BlazeFace detector (MediaPipe; back 256×256 or front 128×128 model, detected from the input shape):
    /// NHWC RGB in [-1, 1], stretched to the input, <see cref="AnchorGridDecoder.BlazeFace"/>, NMS at IoU 0.3.
    /// </summary>
    /// <param name="modelPath">The BlazeFace ONNX file.</param>
    /// <param name="minScore">Lowest candidate score kept (default 0.1).</param>
    /// <param name="nmsIouThreshold">NMS IoU threshold, or <see langword="null"/> for every raw candidate (default 0.3).</param>
    /// <param name="fitMode">How images are fitted to the square input (default <see cref="ImageFitMode.Stretch"/>; <see cref="ImageFitMode.Letterbox"/> keeps face shapes on wide photographs).</param>
    /// <returns>The detector.</returns>
    public static OnnxDetector BlazeFace(string modelPath, float minScore = 0.1f, float? nmsIouThreshold = 0.3f, ImageFitMode fitMode = ImageFitMode.Stretch)
        => new(modelPath, new OnnxDetectorOptions
        {
            Decoder = AnchorGridDecoder.BlazeFace(),
            Layout = ImageTensorLayout.Nhwc,
            PixelScale = 2f / 255f,
            PixelOffset = -1f,
            FitMode = fitMode,
            MinScore = minScore,
            NmsIouThreshold = nmsIouThreshold,
        });

    /// <summary>The model file.</summary>
    public string ModelPath { get; }

    /// <summary>Model input width.</summary>
    public int InputWidth { get; }

    /// <summary>Model input height.</summary>
    public int InputHeight { get; }

    /// <summary>Runs the model on an image file (the error names the file when it cannot be loaded).</summary>
    /// <param name="imagePath">Image file.</param>
    /// <returns>The detections.</returns>
    public DetectionResult Detect(string imagePath) => Detect(RgbImage.Load(imagePath));

    /// <summary>Runs the model on an image.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The detections in original-image coordinates.</returns>
    public DetectionResult Detect(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var mapping = new InputMapping(image.Width, image.Height, InputWidth, InputHeight, _options.FitMode);
        var outputs = RunRaw(image, mapping);
        var decoded = _decoder.Decode(outputs, InputWidth, InputHeight, _options.MinScore);

        // Pre-NMS top-k cap (stable: ties keep output order).
        var order = Enumerable.Range(0, decoded.Count).OrderByDescending(i => decoded[i].Score).ThenBy(i => i).ToArray();
        var dropped = Math.Max(0, order.Length - _options.MaxCandidatesBeforeNms);
        if (dropped > 0)
            order = order[.._options.MaxCandidatesBeforeNms];
        var mapped = new List<DetectionCandidate>(order.Length);
        var emptyAfterClip = 0;
        foreach (var i in order)
        {
            var c = decoded[i];
            var box = mapping.ToOriginal(c.Box);
            if (box.Width <= 0 || box.Height <= 0)
            {
                emptyAfterClip++;
                continue;
            }
            mapped.Add(c with { Box = box });
        }

        var suppressed = 0;
        IReadOnlyList<DetectionCandidate> kept = mapped;
        if (_options.NmsIouThreshold is float iou)
        {
            var keep = Nms.Greedy(mapped.Select(c => c.Box).ToArray(), mapped.Select(c => (double)c.Score).ToArray(), iou);
            suppressed = mapped.Count - keep.Length;
            kept = keep.Select(k => mapped[k]).ToArray();
        }
        return new DetectionResult(image.Width, image.Height, kept, decoded.Count, dropped, suppressed, emptyAfterClip);
    }

    /// <summary>Runs the model and returns its raw outputs (the ones the decoder reads), for inspection or custom decoding.</summary>
    /// <param name="image">The image.</param>
    /// <returns>The output tensors by name.</returns>
    public IReadOnlyDictionary<string, DetectionTensor> RunRaw(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return RunRaw(image, new InputMapping(image.Width, image.Height, InputWidth, InputHeight, _options.FitMode));
    }

    private Dictionary<string, DetectionTensor> RunRaw(RgbImage image, InputMapping mapping)
    {
        var input = image.Render(mapping, _options.PadValue);
        int w = InputWidth, h = InputHeight;
        var data = new float[w * h * 3];
        var px = input.Pixels;
        float scale = _options.PixelScale, offset = _options.PixelOffset;
        if (_options.Layout == ImageTensorLayout.Nhwc)
        {
            for (var i = 0; i < data.Length; i++)
                data[i] = px[i] * scale + offset;
        }
        else
        {
            var plane = w * h;
            for (var p = 0; p < plane; p++)
            {
                data[p] = px[3 * p] * scale + offset;
                data[plane + p] = px[3 * p + 1] * scale + offset;
                data[2 * plane + p] = px[3 * p + 2] * scale + offset;
            }
        }
        long[] shape = _options.Layout == ImageTensorLayout.Nhwc ? [1, h, w, 3] : [1, 3, h, w];
        using var value = OrtValue.CreateTensorValueFromMemory(data, shape);
        using var runOptions = new RunOptions();
        using var results = _session.Run(runOptions, [_inputName], [value], _outputNames);
        var outputs = new Dictionary<string, DetectionTensor>(StringComparer.Ordinal);
        var k = 0;
        foreach (var r in results)
        {
            var name = _outputNames[k++];
            var info = r.GetTensorTypeAndShape();
            var dims = info.Shape.Select(d => checked((int)d)).ToArray();
            float[] values = info.ElementDataType switch
            {
                TensorElementType.Float => r.GetTensorDataAsSpan<float>().ToArray(),
                TensorElementType.Int64 => ToFloat(r.GetTensorDataAsSpan<long>()),
                TensorElementType.Int32 => ToFloat(r.GetTensorDataAsSpan<int>()),
                TensorElementType.Double => ToFloat(r.GetTensorDataAsSpan<double>()),
                _ => throw new InvalidOperationException($"Output '{name}' of '{ModelPath}' has element type {info.ElementDataType}; detectors must output float, double, int32 or int64 tensors."),
            };
            outputs[name] = new DetectionTensor(name, dims, values);
        }
        return outputs;
    }

    private static float[] ToFloat(ReadOnlySpan<long> s)
    {
        var a = new float[s.Length];
        for (var i = 0; i < s.Length; i++)
            a[i] = s[i];
        return a;
    }

    private static float[] ToFloat(ReadOnlySpan<int> s)
    {
        var a = new float[s.Length];
        for (var i = 0; i < s.Length; i++)
            a[i] = s[i];
        return a;
    }

    private static float[] ToFloat(ReadOnlySpan<double> s)
    {
        var a = new float[s.Length];
        for (var i = 0; i < s.Length; i++)
            a[i] = (float)s[i];
        return a;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();
}
