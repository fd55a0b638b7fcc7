using System.Collections;
using System.Reflection;
using Akka.Actor;
using DistributedGmm.Cluster.Hosting;
using DistributedGmm.Cluster.Messages;
using DistributedGmm.Cluster.Serialization;

namespace DistributedGmm.Cluster.Tests;

/// <summary>
/// Every <see cref="IGmmMessage"/> type the Cluster assembly declares, found by reflection so a new message cannot
/// be forgotten: built from non-trivial values for each constructor parameter, sent through the actor system's
/// serialization (bound with <c>serialize-messages = on</c>), and compared field by field with what comes back.
/// </summary>
public sealed class MessageCatalogueTests : IDisposable
{
    private readonly ActorSystem _system = GmmActorSystem.Create("catalogue-tests", overrides: TestData.Config);

    public void Dispose() => _system.Dispose();

    public static TheoryData<string> MessageTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in Catalogue()) data.Add(type.FullName!);
        return data;
    }

    private static IEnumerable<Type> Catalogue() =>
        typeof(IGmmMessage).Assembly.GetTypes()
            .Where(t => typeof(IGmmMessage).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    [Fact]
    public void The_catalogue_is_not_empty_and_the_test_configuration_checks_serialization()
    {
        Assert.True(Catalogue().Count() >= 10);
        Assert.True(_system.Settings.SerializeAllMessages);
    }

    [Theory]
    [MemberData(nameof(MessageTypes))]
    public void Every_message_type_round_trips_field_by_field(string typeName)
    {
        var type = Catalogue().Single(t => t.FullName == typeName);
        var message = Build(type, seed: 3);
        var serializer = Assert.IsType<GmmMessageSerializer>(_system.Serialization.FindSerializerFor(message));
        var bytes = serializer.ToBinary(message);
        Assert.True(bytes.Length <= GmmMessageSerializer.MaxFrameBytes);
        var back = serializer.FromBinary(bytes, serializer.Manifest(message));
        Assert.IsType(type, back);
        AssertSameFields(type.Name, message, back);
    }

    private object Build(Type type, int seed)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        var arguments = constructor.GetParameters().Select((p, i) => Value(p.ParameterType, seed + i)).ToArray();
        return constructor.Invoke(arguments);
    }

    private object? Value(Type type, int seed)
    {
        if (Nullable.GetUnderlyingType(type) is { } inner) return Value(inner, seed);
        if (type == typeof(Guid)) return new Guid(seed, (short)seed, (short)(seed + 1), 1, 2, 3, 4, 5, 6, 7, 8);
        if (type == typeof(int)) return seed + 1;
        if (type == typeof(long)) return 5_000_000_000L + seed;
        if (type == typeof(bool)) return seed % 2 == 1;
        if (type == typeof(double)) return 1e-6 * (seed + 1);
        if (type == typeof(byte)) return (byte)(seed + 1);
        if (type == typeof(ulong)) return 0x9E3779B97F4A7C15UL + (ulong)seed;
        if (type == typeof(string)) return $"value {seed}: ä/ü";
        if (type.IsEnum)
        {
            var values = Enum.GetValues(type);
            return values.GetValue(seed % values.Length);
        }
        if (type == typeof(IActorRef)) return _system.ActorOf(Props.Empty, $"ref-{Guid.NewGuid():N}");
        if (type.IsArray)
        {
            var element = type.GetElementType()!;
            var array = Array.CreateInstance(element, 3);
            for (var i = 0; i < 3; i++) array.SetValue(Value(element, seed + i), i);
            return array;
        }
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var generic
            && (generic == typeof(IReadOnlyList<>) || generic == typeof(IList<>) || generic == typeof(List<>)))
        {
            var element = type.GetGenericArguments()[0];
            var list = (IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(element))!;
            for (var i = 0; i < 3; i++) list.Add(Value(element, seed + i));
            return list;
        }
        if (type.IsClass && type.Namespace?.StartsWith("DistributedGmm", StringComparison.Ordinal) == true) return Build(type, seed);
        throw new NotSupportedException($"MessageCatalogueTests has no sample value for {type}: add one");
    }

    private static void AssertSameFields(string path, object? expected, object? actual)
    {
        if (expected is null || actual is null)
        {
            Assert.True(expected is null && actual is null, $"{path}: {expected} against {actual}");
            return;
        }
        var type = expected.GetType();
        if (type.IsPrimitive || type.IsEnum || expected is string or Guid or decimal || expected is IActorRef)
        {
            Assert.True(expected.Equals(actual), $"{path}: sent {expected}, received {actual}");
            return;
        }
        if (expected is IEnumerable sequence)
        {
            var a = sequence.Cast<object?>().ToList();
            var b = ((IEnumerable)actual).Cast<object?>().ToList();
            Assert.True(a.Count == b.Count, $"{path}: {a.Count} elements sent, {b.Count} received");
            for (var i = 0; i < a.Count; i++) AssertSameFields($"{path}[{i}]", a[i], b[i]);
            return;
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract") continue;
            AssertSameFields($"{path}.{property.Name}", property.GetValue(expected), property.GetValue(actual));
        }
    }
}
