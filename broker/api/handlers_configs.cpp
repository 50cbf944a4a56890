// DescribeConfigs and AlterConfigs (topics read and write; the broker's own read-only).
#include "broker.h"

#include <spdlog/spdlog.h>

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

namespace {
constexpr std::int8_t kTopicResource = 2;
constexpr std::int8_t kBrokerResource = 4;
constexpr std::int8_t kSourceDynamicTopic = 1;
constexpr std::int8_t kSourceStaticBroker = 4;
constexpr std::int8_t kSourceDefault = 5;

struct ConfigEntry
{
    std::string name;
    std::optional<std::string> value;
    bool readOnly;
    std::int8_t source;
};

bool wanted(const std::optional<std::vector<std::string>> &keys, const std::string &name)
{
    return !keys || keys->empty() || std::find(keys->begin(), keys->end(), name) != keys->end();
}
} // namespace

Outcome Broker::describeConfigs(Request &r)
{
    const auto v = r.version();
    struct Resource
    {
        std::int8_t type;
        std::string name;
        std::optional<std::vector<std::string>> keys;
    };
    std::vector<Resource> resources;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i) {
        Resource &res = resources.emplace_back();
        res.type = r.in.i8();
        res.name = r.in.str();
        const std::int32_t k = r.in.arrayLength();
        if (k >= 0) {
            res.keys.emplace();
            for (std::int32_t j = 0; j < k; ++j)
                res.keys->push_back(r.in.str());
        }
    }
    const bool synonyms = v >= 1 && r.in.boolean();

    ByteWriter &out = r.out;
    out.i32(0);
    out.arrayLength(resources.size());
    for (const auto &res : resources) {
        std::vector<ConfigEntry> entries;
        Error err = Error::None;
        std::string message;
        if (res.type == kTopicResource) {
            if (const Topic *topic = m_store.find(res.name)) {
                // Defaults the broker's command line changed show as that broker config.
                const LogConfig &broker = m_options.logDefaults;
                const std::map<std::string_view, std::int64_t> fromBroker = {
                    {"flush.messages", broker.flushMessages}, {"flush.ms", broker.flushMs}};
                for (const auto &def : topicConfigDefs()) {
                    auto it = topic->configs.find(std::string(def.name));
                    auto set = fromBroker.find(def.name);
                    if (it != topic->configs.end())
                        entries.push_back({it->first, it->second, false, kSourceDynamicTopic});
                    else if (set != fromBroker.end() && set->second != INT64_MAX)
                        entries.push_back({std::string(def.name), std::to_string(set->second),
                                           false, kSourceStaticBroker});
                    else
                        entries.push_back({std::string(def.name), std::string(def.defaultValue),
                                           false, kSourceDefault});
                }
            } else {
                err = Error::UnknownTopicOrPartition;
                message = "Topic '" + res.name + "' does not exist.";
            }
        } else if (res.type == kBrokerResource) {
            if (!res.name.empty() && res.name != std::to_string(m_options.nodeId)) {
                err = Error::InvalidRequest;
                message = "Unexpected broker id, expected " + std::to_string(m_options.nodeId);
            } else {
                const std::string listener = "PLAINTEXT://" + m_options.advertisedHost + ":" +
                                             std::to_string(m_options.advertisedPort);
                auto add = [&](const char *name, std::optional<std::string> value,
                               std::int8_t source) {
                    entries.push_back({name, std::move(value), true, source});
                };
                add("advertised.listeners", listener, kSourceStaticBroker);
                add("auto.create.topics.enable", m_options.autoCreateTopics ? "true" : "false",
                    kSourceStaticBroker);
                add("broker.id", std::to_string(m_options.nodeId), kSourceStaticBroker);
                if (m_options.rack.empty())
                    add("broker.rack", std::nullopt, kSourceDefault);
                else
                    add("broker.rack", m_options.rack, kSourceStaticBroker);
                add("compression.type", "producer", kSourceDefault);
                add("default.replication.factor", "1", kSourceDefault);
                add("fetch.max.bytes", std::to_string(m_options.fetchMaxBytes),
                    m_options.fetchMaxBytes == 57671680 ? kSourceDefault : kSourceStaticBroker);
                add("group.initial.rebalance.delay.ms",
                    std::to_string(m_options.initialRebalanceDelayMs), kSourceStaticBroker);
                add("group.max.session.timeout.ms", "1800000", kSourceDefault);
                add("group.min.session.timeout.ms", "1000", kSourceStaticBroker);
                add("listeners", listener, kSourceStaticBroker);
                add("log.cleanup.policy", "delete", kSourceDefault);
                add("log.dirs", m_options.dataDir.string(), kSourceStaticBroker);
                const std::int64_t messages = m_options.logDefaults.flushMessages;
                const std::int64_t ms = m_options.logDefaults.flushMs;
                add("log.flush.interval.messages", std::to_string(messages),
                    messages == INT64_MAX ? kSourceDefault : kSourceStaticBroker);
                if (ms == INT64_MAX)
                    add("log.flush.interval.ms", std::nullopt, kSourceDefault);
                else
                    add("log.flush.interval.ms", std::to_string(ms), kSourceStaticBroker);
                add("log.retention.bytes", "-1", kSourceDefault);
                add("log.retention.check.interval.ms",
                    std::to_string(m_options.retentionCheckIntervalMs), kSourceStaticBroker);
                add("log.retention.hours", "168", kSourceDefault);
                add("log.segment.bytes", "1073741824", kSourceDefault);
                add("message.max.bytes", "1048588", kSourceDefault);
                add("num.partitions", std::to_string(m_options.defaultPartitions),
                    kSourceStaticBroker);
                add("offsets.topic.num.partitions",
                    std::to_string(m_options.offsetsTopicPartitions), kSourceStaticBroker);
                add("socket.request.max.bytes", "104857600", kSourceDefault);
            }
        } else {
            err = Error::InvalidRequest;
            message = "Resource type " + std::to_string(res.type) + " is not supported.";
        }
        out.i16(code(err));
        if (err == Error::None)
            out.nullStr();
        else
            out.str(message);
        out.i8(res.type);
        out.str(res.name);
        std::size_t count = 0;
        for (const auto &e : entries)
            count += wanted(res.keys, e.name);
        out.arrayLength(count);
        for (const auto &e : entries) {
            if (!wanted(res.keys, e.name))
                continue;
            out.str(e.name);
            out.nullableStr(e.value);
            out.boolean(e.readOnly);
            if (v == 0)
                out.boolean(e.source == kSourceDefault);
            else
                out.i8(e.source);
            out.boolean(false); // sensitive
            if (v >= 1) {
                if (!synonyms) {
                    out.arrayLength(0);
                } else {
                    // The value in force first, then what it overrides.
                    const ConfigDef *def = findTopicConfig(e.name);
                    const bool overridden = e.source == kSourceDynamicTopic && def;
                    out.arrayLength(overridden ? 2 : 1);
                    out.str(e.name);
                    out.nullableStr(e.value);
                    out.i8(e.source);
                    if (overridden) {
                        out.str(e.name);
                        out.str(def->defaultValue);
                        out.i8(kSourceDefault);
                    }
                }
            }
        }
    }
    return Outcome::Respond;
}

Outcome Broker::alterConfigs(Request &r)
{
    struct Resource
    {
        std::int8_t type;
        std::string name;
        ConfigMap configs;
    };
    std::vector<Resource> resources;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i) {
        Resource &res = resources.emplace_back();
        res.type = r.in.i8();
        res.name = r.in.str();
        const std::int32_t k = r.in.arrayLength();
        for (std::int32_t j = 0; j < k; ++j) {
            std::string key = r.in.str();
            auto value = r.in.nullableStr();
            if (value)
                res.configs[std::move(key)] = *value;
        }
    }
    const bool validateOnly = r.in.boolean();
    ByteWriter &out = r.out;
    out.i32(0);
    out.arrayLength(resources.size());
    for (const auto &res : resources) {
        StoreResult result;
        if (res.type == kTopicResource) {
            result = m_store.setConfigs(res.name, res.configs, validateOnly);
            if (result.error == Error::None && !validateOnly)
                spdlog::info("topic {}: configs set ({} dynamic)", res.name, res.configs.size());
        } else if (res.type == kBrokerResource) {
            result = {Error::InvalidRequest, "Broker configs of periscope-broker are read-only; "
                                             "set them on its command line."};
        } else {
            result = {Error::InvalidRequest,
                      "Resource type " + std::to_string(res.type) + " is not supported."};
        }
        out.i16(code(result.error));
        if (result.error == Error::None)
            out.nullStr();
        else
            out.str(result.message);
        out.i8(res.type);
        out.str(res.name);
    }
    return Outcome::Respond;
}

} // namespace periscope::broker
