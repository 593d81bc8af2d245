using System.Reflection;
using System.Reflection.Emit;

namespace AudioPrune.Tests.Architecture;

/// <summary>
/// The library's areas (AudioPrune.Graph, .Pruning, .Interop, ...) depend on each other without cycles (Graph never on
/// Pruning, Interop never on Benchmarking), read from the compiled code itself: signatures, fields and every type a
/// method body names. The root namespace is left out: it is the public surface, both the entry that uses every area
/// and the vocabulary every area speaks (UserInputException, the criterion contract).
/// </summary>
public sealed class NamespaceDependencyTests
{
    private static readonly Assembly Library = typeof(AudioPruneModel).Assembly;

    [Fact]
    public void Namespaces_form_no_cycle()
    {
        var edges = Dependencies();
        var cycle = FindCycle(edges);
        Assert.True(cycle is null, $"namespace cycle: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void The_dependency_reader_sees_known_edges()
    {
        var edges = Dependencies();
        Assert.Contains("Graph", edges["Pruning"]);      // surgery reads the graph
        Assert.Contains("Inference", edges["Training"]); // evaluation runs an engine
        Assert.DoesNotContain("Pruning", edges["Graph"]);
        Assert.Null(FindCycle(new Dictionary<string, HashSet<string>> { ["a"] = ["b"], ["b"] = ["c"], ["c"] = [] }));
        Assert.NotNull(FindCycle(new Dictionary<string, HashSet<string>> { ["a"] = ["b"], ["b"] = ["a"] }));
    }

    /// <summary>Each area (AudioPrune.X.Y -> X) to the areas it uses.</summary>
    private static Dictionary<string, HashSet<string>> Dependencies()
    {
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var type in Library.GetTypes())
        {
            var from = Area(type);
            if (from is null) continue;
            if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = new HashSet<string>(StringComparer.Ordinal);
            foreach (var used in UsedTypes(type))
                if (Area(used) is { } to && to != from) targets.Add(to);
        }
        return edges;
    }

    private static string? Area(Type type)
    {
        while (type.IsNested) type = type.DeclaringType!;
        if (type.Assembly != Library || type.Namespace is not { } ns || !ns.StartsWith("AudioPrune", StringComparison.Ordinal)) return null;
        var parts = ns.Split('.');
        return parts.Length > 1 ? parts[1] : null;
    }

    private static IEnumerable<Type> UsedTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        if (type.BaseType is { } baseType) yield return baseType;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var f in type.GetFields(all)) yield return f.FieldType;
        foreach (var p in type.GetProperties(all)) yield return p.PropertyType;
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo m) yield return m.ReturnType;
            foreach (var p in method.GetParameters()) yield return p.ParameterType;
            foreach (var used in BodyTypes(method)) yield return used;
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The types a method body names: every token operand of its IL, resolved in the method's generic context.</summary>
    private static IEnumerable<Type> BodyTypes(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            var code = il[i] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[i + 1])] : OpCodesByValue[il[i]];
            i += code.Size;
            var operand = OperandSize(code, il, i);
            if (code.OperandType is OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                var token = BitConverter.ToInt32(il, i);
                Type? used = null;
                try
                {
                    used = method.Module.ResolveMember(token, typeArgs, methodArgs) switch
                    {
                        Type type => type,
                        MemberInfo member => member.DeclaringType,
                        _ => null,
                    };
                }
                catch (ArgumentException)
                {
                    // A token of another module's generic instantiation: not one of this library's namespaces.
                }
                if (used is not null) yield return used;
            }
            i += operand;
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
        _ => 4,
    };

    private static string[]? FindCycle(Dictionary<string, HashSet<string>> edges)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 visiting, 2 done
        var path = new List<string>();
        string[]? Visit(string node)
        {
            state[node] = 1;
            path.Add(node);
            foreach (var next in edges.GetValueOrDefault(node) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1) return [.. path.Skip(path.IndexOf(next)), next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[node] = 2;
            return null;
        }
        foreach (var node in edges.Keys.Order(StringComparer.Ordinal))
            if (state.GetValueOrDefault(node) == 0 && Visit(node) is { } cycle) return cycle;
        return null;
    }
}
