using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using AudioPrune.Graph.Nodes;
using TorchSharp;
using static TorchSharp.torch;

namespace AudioPrune.Graph.Torch;

/// <summary>
/// Max pooling whose windows tile the input (kernel = stride, no padding), as DCASE21_Net's 5x5 and 4x100 and
/// VGGish_Net's 2x2 pools are. libtorch's CPU kernel scans each window element by element; this one takes the column
/// maxima of a row of windows with SIMD, then each window's maximum among its columns, which is faster
/// (docs/performance.md, "Max pooling"). It picks the same element libtorch does, so values and gradients are
/// identical: the first maximum in row-major order, or the last NaN when the window holds one. The backward pass
/// scatters the upstream gradient to those elements, as libtorch's does.
/// </summary>
internal sealed unsafe class NonOverlappingMaxPool : autograd.SingleTensorFunction<NonOverlappingMaxPool>
{
    private const string ShapeKey = "input-shape";

    public override string Name => nameof(NonOverlappingMaxPool);

    /// <summary>Whether the node's windows tile its input: a max pool with stride equal to the kernel and no padding.</summary>
    public static bool Supports(Pool2dNode node) =>
        node.Kind == PoolKind.Max && node.Stride == node.Kernel && node.Padding == new Size2(0, 0);

    /// <summary>
    /// Whether this kernel should pool <paramref name="x"/>: a float32 (N, C, H, W) tensor on the CPU in channels-first
    /// order. Channels-last feature maps stay with libtorch, whose channels-last kernel is vectorised across channels
    /// and needs no copy into this kernel's order.
    /// </summary>
    public static bool Accepts(Tensor x) =>
        x.dim() == 4 && x.dtype == ScalarType.Float32 && x.device_type == DeviceType.CPU && x.is_contiguous();

    /// <summary>
    /// The pooled (N, C, H / kh, W / kw) of a float32 (N, C, H, W) input on the CPU. Without a gradient to compute it
    /// skips the autograd function, whose own cost per call exceeded the kernel's at batch 1.
    /// </summary>
    public static Tensor Run(Tensor input, Size2 kernel)
    {
        if (input.requires_grad && is_grad_enabled()) return apply(input, kernel);
        var (output, indices) = Pool(input, kernel);
        indices.Dispose();
        return output;
    }

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, kernel) = ((Tensor)vars[0], (Size2)vars[1]);
        var (output, indices) = Pool(input, kernel);
        ctx.save_for_backward([indices]);
        ctx.save_data(ShapeKey, input.shape);
        return output;
    }

    /// <summary>The pooled values and the position of each one's element in its input plane.</summary>
    private static (Tensor Output, Tensor Indices) Pool(Tensor input, Size2 kernel)
    {
        if (input.dim() != 4 || input.dtype != ScalarType.Float32 || input.device_type != DeviceType.CPU)
            throw new ArgumentException("expected a float32 (N, C, H, W) tensor on the CPU", nameof(input));
        using var source = input.contiguous();
        var (batch, channels, height, width) = (input.shape[0], input.shape[1], (int)input.shape[2], (int)input.shape[3]);
        var (rows, columns) = (height / kernel.H, width / kernel.W);
        var output = empty([batch, channels, rows, columns]);
        var indices = empty([batch, channels, rows, columns], ScalarType.Int64);
        var planes = new PlaneShape(height, width, kernel.H, kernel.W);
        PoolPlanes((float*)Address(source), (float*)Address(output), (long*)Address(indices), (int)(batch * channels), planes);
        return (output, indices);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var shape = (long[])ctx.get_data(ShapeKey);
        using var indices = ctx.get_saved_variables()[0];
        var planes = shape[0] * shape[1];
        using var flatIndices = indices.view(planes, -1);
        using var flatGradient = gradOutput.contiguous().view(planes, -1);
        using var gradient = zeros(planes, shape[2] * shape[3]);
        return [gradient.scatter_(1, flatIndices, flatGradient).view(shape), null!];
    }

    /// <summary>Rows and columns of one input plane and of the pooling window.</summary>
    private readonly record struct PlaneShape(int Height, int Width, int WindowRows, int WindowColumns)
    {
        public int OutputRows => Height / WindowRows;
        public int OutputColumns => Width / WindowColumns;

        /// <summary>The input columns that windows cover (a remainder narrower than a window is left out).</summary>
        public int CoveredWidth => OutputColumns * WindowColumns;
    }

    /// <summary>
    /// One plane after the other on the calling thread: with two threads, libtorch's OpenMP worker spins on the other
    /// core after each of its parallel operations, and a second .NET thread gained nothing there.
    /// </summary>
    private static void PoolPlanes(float* input, float* output, long* indices, int planeCount, PlaneShape shape)
    {
        var (columnMax, columnRow) = (new float[shape.CoveredWidth], new int[shape.CoveredWidth]);
        var planeSize = (long)shape.Height * shape.Width;
        var outputSize = (long)shape.OutputRows * shape.OutputColumns;
        for (var plane = 0; plane < planeCount; plane++)
            PoolPlane(input + plane * planeSize, output + plane * outputSize, indices + plane * outputSize, shape, columnMax, columnRow);
    }

    private static void PoolPlane(float* plane, float* output, long* indices, PlaneShape shape, float[] columnMax, int[] columnRow)
    {
        fixed (float* best = columnMax)
        fixed (int* row = columnRow)
        {
            for (var windowRow = 0; windowRow < shape.OutputRows; windowRow++)
            {
                ColumnMaxima(plane, windowRow * shape.WindowRows, shape, best, row);
                var offset = windowRow * shape.OutputColumns;
                WindowMaxima(best, row, shape, output + offset, indices + offset);
            }
        }
    }

    /// <summary>
    /// For each covered column, the largest value among the window's rows and its row: a later row replaces only a
    /// strictly larger value, or with a NaN (libtorch's scan order: the first maximum, or the last NaN).
    /// </summary>
    private static void ColumnMaxima(float* plane, int firstRow, PlaneShape shape, float* best, int* row)
    {
        var width = shape.CoveredWidth;
        var top = plane + (long)firstRow * shape.Width;
        new ReadOnlySpan<float>(top, width).CopyTo(new Span<float>(best, width));
        new Span<int>(row, width).Fill(firstRow);
        for (var k = 1; k < shape.WindowRows; k++)
        {
            var line = top + (long)k * shape.Width;
            var rowIndex = firstRow + k;
            var rowVector = Vector256.Create(rowIndex);
            var c = 0;
            for (; c + Vector256<float>.Count <= width; c += Vector256<float>.Count)
            {
                var value = Vector256.Load(line + c);
                var current = Vector256.Load(best + c);
                var replace = Vector256.GreaterThan(value, current) | ~Vector256.Equals(value, value);
                Vector256.ConditionalSelect(replace, value, current).Store(best + c);
                Vector256.ConditionalSelect(replace.AsInt32(), rowVector, Vector256.Load(row + c)).Store(row + c);
            }
            for (; c < width; c++)
            {
                if (line[c] > best[c] || float.IsNaN(line[c]))
                {
                    best[c] = line[c];
                    row[c] = rowIndex;
                }
            }
        }
    }

    /// <summary>
    /// Each window's maximum among its column maxima, with libtorch's choice among equals: the smallest row, then the
    /// smallest column (row-major first); among NaNs, the largest row, then the largest column (row-major last).
    /// The index is the element's position in its plane, as libtorch's indices are.
    /// </summary>
    private static void WindowMaxima(float* best, int* row, PlaneShape shape, float* output, long* indices)
    {
        for (var window = 0; window < shape.OutputColumns; window++)
        {
            var first = window * shape.WindowColumns;
            var (value, valueRow, column) = (best[first], row[first], first);
            for (var c = first + 1; c < first + shape.WindowColumns; c++)
            {
                var candidate = best[c];
                if (candidate < value) continue;
                var candidateRow = row[c];
                var better = candidate > value || (candidate == value && candidateRow < valueRow)
                             || (float.IsNaN(candidate) && (!float.IsNaN(value) || candidateRow >= valueRow));
                if (better) (value, valueRow, column) = (candidate, candidateRow, c);
            }
            output[window] = value;
            indices[window] = (long)valueRow * shape.Width + column;
        }
    }

    /// <summary>The first element of a contiguous CPU tensor (TorchSharp exposes no pointer; its native library does).</summary>
    private static IntPtr Address(Tensor tensor) =>
        THSTensor_data(tensor.Handle) is var address && address != IntPtr.Zero
            ? address : throw new InvalidOperationException("a tensor without data");

    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);
}
