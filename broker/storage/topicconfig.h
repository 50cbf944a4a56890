#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace periscope::broker {

using ConfigMap = std::map<std::string, std::string>;

// One topic-level config that the broker knows, with Kafka's default.
struct ConfigDef
{
    enum class Type { Boolean, Int, Long, Double, String, List, Enum };
    std::string_view name;
    std::string_view defaultValue;
    Type type;
    std::int64_t min = INT64_MIN;
    std::vector<std::string_view> choices = {}; // Enum and List: allowed values
};

const std::vector<ConfigDef> &topicConfigDefs();
const ConfigDef *findTopicConfig(std::string_view name);
// nullopt when the value is acceptable, otherwise a message for the client.
std::optional<std::string> validateTopicConfig(std::string_view name, std::string_view value);

// The configs that change how a partition log behaves, resolved against the defaults.
struct LogConfig
{
    std::int64_t retentionMs = 604800000;
    std::int64_t retentionBytes = -1;
    std::int64_t segmentBytes = 1073741824;
    std::int64_t maxMessageBytes = 1048588;
    std::uint32_t indexIntervalBytes = 4096;
    bool logAppendTime = false;
    bool compact = false;
    bool deleteRetention = true; // cleanup.policy has "delete": retention removes segments
    // Sync after this many appended messages, or once data is this old (flush.messages,
    // flush.ms); Kafka's defaults leave both to the operating system.
    std::int64_t flushMessages = INT64_MAX;
    std::int64_t flushMs = INT64_MAX;

    // The topic's overrides on top of base (the broker-wide defaults).
    static LogConfig from(const ConfigMap &overrides, const LogConfig &base);
    static LogConfig from(const ConfigMap &overrides) { return from(overrides, LogConfig()); }
};

} // namespace periscope::broker
