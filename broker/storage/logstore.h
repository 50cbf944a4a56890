#pragma once

#include "partitionlog.h"
#include "topicconfig.h"
#include "wire/wire.h"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace periscope::broker {

struct Topic
{
    std::string name;
    Uuid id{};
    bool internal = false;
    ConfigMap configs; // dynamic (non-default) topic configs
    LogConfig logConfig;
    std::vector<std::unique_ptr<PartitionLog>> partitions;
};

struct StoreResult
{
    Error error = Error::None;
    std::string message;
};

// All topics of the broker on disk: `<data>/topics/<name>/topic.properties` and one folder
// per partition.
class LogStore final
{
public:
    // defaults: the broker-wide log settings that topic configs override.
    explicit LogStore(std::filesystem::path dataDir, LogConfig defaults = {});

    // Loads every topic; cleanShutdown=false makes each partition verify its tail.
    void load(bool cleanShutdown);

    Topic *find(const std::string &name);
    const std::map<std::string, std::unique_ptr<Topic>> &topics() const { return m_topics; }

    static std::optional<std::string> validateTopicName(const std::string &name);
    StoreResult createTopic(const std::string &name, int partitions, int replicationFactor,
                            const ConfigMap &configs, bool validateOnly, bool internal = false);
    StoreResult deleteTopic(const std::string &name);
    StoreResult createPartitions(const std::string &name, int total, bool validateOnly);
    // Replaces the whole set of dynamic configs (AlterConfigs is not incremental).
    StoreResult setConfigs(const std::string &name, const ConfigMap &configs, bool validateOnly);

    void applyRetention(std::int64_t nowMs);
    // Syncs every log; false when one of them had an I/O error (now or before).
    bool flush();
    // Syncs the logs whose unsynced data is older than their flush.ms.
    void flushDue(std::int64_t monotonicMs);
    std::uint64_t truncatedBytes() const;
    const LogConfig &defaults() const { return m_defaults; }

private:
    std::filesystem::path topicDir(const std::string &name) const;
    void persist(const Topic &topic) const;
    std::unique_ptr<Topic> loadTopic(const std::filesystem::path &dir, bool verifyTail);
    static std::optional<std::string> validateConfigs(const ConfigMap &configs);

    std::filesystem::path m_dir;
    LogConfig m_defaults;
    std::map<std::string, std::unique_ptr<Topic>> m_topics;
};

} // namespace periscope::broker
