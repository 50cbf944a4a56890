#pragma once

#include "wire/recordbatch.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace periscope::broker {

struct CommittedOffset
{
    std::int64_t offset = -1;
    std::int32_t leaderEpoch = -1;
    std::string metadata;
    std::int64_t commitTimestamp = 0;
};

using TopicPartitionKey = std::pair<std::string, std::int32_t>;

// Committed offsets of all groups. Every change is also written, in Kafka's own record
// format (offset commit key v1, value v3; null value = deleted), to __consumer_offsets, so
// the log is the durable copy and tools that read that topic (Burrow) understand it.
class OffsetStore final
{
public:
    using GroupOffsets = std::map<TopicPartitionKey, CommittedOffset>;

    const GroupOffsets *find(const std::string &group) const;
    const std::map<std::string, GroupOffsets> &all() const { return m_offsets; }
    std::optional<CommittedOffset> get(const std::string &group, const std::string &topic,
                                       std::int32_t partition) const;

    // Applies the changes and returns the records that make them durable.
    std::vector<NewRecord>
    commit(const std::string &group,
           const std::vector<std::pair<TopicPartitionKey, CommittedOffset>> &offsets);
    std::vector<NewRecord> remove(const std::string &group,
                                  const std::vector<TopicPartitionKey> &which);
    std::vector<NewRecord> removeGroup(const std::string &group);
    std::vector<NewRecord> removeTopic(const std::string &topic);

    // Replays one record of __consumer_offsets at start-up.
    void replay(const Record &record);

    static std::string encodeKey(const std::string &group, const std::string &topic,
                                 std::int32_t partition);
    static std::string encodeValue(const CommittedOffset &offset);

private:
    std::map<std::string, GroupOffsets> m_offsets;
};

} // namespace periscope::broker
