#include "topicconfig.h"

#include <algorithm>
#include <charconv>

namespace periscope::broker {

using T = ConfigDef::Type;

const std::vector<ConfigDef> &topicConfigDefs()
{
    // Kafka 3.x topic configs and their defaults, in alphabetical order.
    static const std::vector<ConfigDef> defs = {
        {"cleanup.policy", "delete", T::List, 0, {"delete", "compact"}},
        {"compression.type",
         "producer",
         T::Enum,
         0,
         {"uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"}},
        {"delete.retention.ms", "86400000", T::Long, 0},
        {"file.delete.delay.ms", "60000", T::Long, 0},
        {"flush.messages", "9223372036854775807", T::Long, 1},
        {"flush.ms", "9223372036854775807", T::Long, 0},
        {"index.interval.bytes", "4096", T::Int, 0},
        {"max.compaction.lag.ms", "9223372036854775807", T::Long, 1},
        {"max.message.bytes", "1048588", T::Int, 0},
        {"message.downconversion.enable", "true", T::Boolean},
        {"message.timestamp.difference.max.ms", "9223372036854775807", T::Long, 0},
        {"message.timestamp.type", "CreateTime", T::Enum, 0, {"CreateTime", "LogAppendTime"}},
        {"min.cleanable.dirty.ratio", "0.5", T::Double, 0},
        {"min.compaction.lag.ms", "0", T::Long, 0},
        {"min.insync.replicas", "1", T::Int, 1},
        {"preallocate", "false", T::Boolean},
        {"retention.bytes", "-1", T::Long},
        {"retention.ms", "604800000", T::Long, -1},
        {"segment.bytes", "1073741824", T::Int, 14},
        {"segment.index.bytes", "10485760", T::Int, 4},
        {"segment.jitter.ms", "0", T::Long, 0},
        {"segment.ms", "604800000", T::Long, 1},
        {"unclean.leader.election.enable", "false", T::Boolean},
    };
    return defs;
}

const ConfigDef *findTopicConfig(std::string_view name)
{
    const auto &defs = topicConfigDefs();
    auto it =
        std::find_if(defs.begin(), defs.end(), [&](const ConfigDef &d) { return d.name == name; });
    return it == defs.end() ? nullptr : &*it;
}

namespace {
std::optional<std::int64_t> parseInt(std::string_view s)
{
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

std::string quoted(std::string_view name, std::string_view value)
{
    return "Invalid value " + std::string(value) + " for configuration " + std::string(name);
}
} // namespace

std::optional<std::string> validateTopicConfig(std::string_view name, std::string_view value)
{
    const ConfigDef *def = findTopicConfig(name);
    if (!def)
        return "Unknown topic config name: " + std::string(name);
    switch (def->type) {
    case T::Boolean:
        if (value != "true" && value != "false")
            return quoted(name, value) + ": Expected value to be either true or false";
        break;
    case T::Int:
    case T::Long: {
        auto v = parseInt(value);
        if (!v || (def->type == T::Int && (*v > INT32_MAX || *v < INT32_MIN)))
            return quoted(name, value) + ": Not a number of type " +
                   (def->type == T::Int ? "INT" : "LONG");
        if (*v < def->min)
            return quoted(name, value) + ": Value must be at least " + std::to_string(def->min);
        break;
    }
    case T::Double: {
        double d = 0;
        auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), d);
        if (ec != std::errc() || p != value.data() + value.size() || d < 0 || d > 1)
            return quoted(name, value) + ": Value must be a number between 0 and 1";
        break;
    }
    case T::Enum:
        if (std::find(def->choices.begin(), def->choices.end(), value) == def->choices.end())
            return quoted(name, value) + ": String must be one of the allowed values";
        break;
    case T::List: {
        std::size_t start = 0;
        while (start <= value.size()) {
            const std::size_t comma = std::min(value.find(',', start), value.size());
            std::string_view item = value.substr(start, comma - start);
            while (!item.empty() && item.front() == ' ')
                item.remove_prefix(1);
            while (!item.empty() && item.back() == ' ')
                item.remove_suffix(1);
            if (std::find(def->choices.begin(), def->choices.end(), item) == def->choices.end())
                return quoted(name, value) + ": each item must be one of delete, compact";
            start = comma + 1;
        }
        break;
    }
    case T::String:
        break;
    }
    return std::nullopt;
}

LogConfig LogConfig::from(const ConfigMap &overrides, const LogConfig &base)
{
    LogConfig c = base;
    auto number = [&](const char *name, std::int64_t fallback) {
        auto it = overrides.find(name);
        if (it == overrides.end())
            return fallback;
        return parseInt(it->second).value_or(fallback);
    };
    c.retentionMs = number("retention.ms", c.retentionMs);
    c.retentionBytes = number("retention.bytes", c.retentionBytes);
    c.segmentBytes = number("segment.bytes", c.segmentBytes);
    c.maxMessageBytes = number("max.message.bytes", c.maxMessageBytes);
    c.indexIntervalBytes =
        static_cast<std::uint32_t>(number("index.interval.bytes", c.indexIntervalBytes));
    c.flushMessages = number("flush.messages", c.flushMessages);
    c.flushMs = number("flush.ms", c.flushMs);
    auto ts = overrides.find("message.timestamp.type");
    if (ts != overrides.end())
        c.logAppendTime = ts->second == "LogAppendTime";
    auto cp = overrides.find("cleanup.policy");
    if (cp != overrides.end()) {
        c.compact = cp->second.find("compact") != std::string::npos;
        c.deleteRetention = cp->second.find("delete") != std::string::npos;
    }
    return c;
}

} // namespace periscope::broker
