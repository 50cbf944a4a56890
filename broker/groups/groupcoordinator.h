#pragma once

#include "group.h"
#include "offsetstore.h"

#include <functional>
#include <map>
#include <memory>
#include <unordered_set>

namespace periscope::broker {

// The classic consumer group protocol: membership, rebalances, heartbeats and committed
// offsets. Single-threaded: the server thread calls every method.
class GroupCoordinator final
{
public:
    // Writes records for a group's offsets to __consumer_offsets; false when that failed.
    using Persist = std::function<bool(const std::string &group, const std::vector<NewRecord> &)>;

    struct Options
    {
        std::int64_t initialRebalanceDelayMs = 500;
        std::int32_t minSessionTimeoutMs = 1000;
        std::int32_t maxSessionTimeoutMs = 1800000;
        // Member ids handed out but not yet used, per group; the oldest goes first.
        std::size_t maxPendingMembers = 10000;
    };

    GroupCoordinator(Options options, Persist persist);

    struct JoinRequest
    {
        std::string groupId;
        std::string memberId;
        std::optional<std::string> instanceId;
        std::string protocolType;
        std::vector<MemberProtocol> protocols;
        std::int32_t sessionTimeoutMs = 0;
        std::int32_t rebalanceTimeoutMs = 0;
        std::string clientId;
        std::string clientHost;
        bool requireKnownMemberId = false;
    };
    void join(const JoinRequest &request, std::int64_t nowMs, JoinCallback done);
    void sync(const std::string &groupId, const std::string &memberId, std::int32_t generation,
              const std::map<std::string, std::string> &assignments, std::int64_t nowMs,
              SyncCallback done);
    Error heartbeat(const std::string &groupId, const std::string &memberId,
                    std::int32_t generation, std::int64_t nowMs);
    Error leave(const std::string &groupId, const std::string &memberId, std::int64_t nowMs);

    struct CommitEntry
    {
        TopicPartitionKey tp;
        CommittedOffset offset;
        Error error = Error::None;
    };
    // Checks membership, then commits the entries whose error is still None.
    Error commit(const std::string &groupId, const std::string &memberId, std::int32_t generation,
                 std::vector<CommitEntry> &entries);
    Error deleteGroup(const std::string &groupId);
    // Per-partition errors for OffsetDelete; the group-level error is returned.
    Error deleteOffsets(const std::string &groupId,
                        std::vector<std::pair<TopicPartitionKey, Error>> &which);
    // Drops the committed offsets of deleted topics (and writes their tombstones).
    void topicsDeleted(const std::unordered_set<std::string> &topics);

    const Group *find(const std::string &groupId) const;
    const std::map<std::string, std::unique_ptr<Group>> &groups() const { return m_groups; }
    OffsetStore &offsets() { return m_offsets; }
    // Groups known only through committed offsets (after a restart) appear as Empty.
    // Times given to this class are monotonic milliseconds.
    void ensureGroupsForOffsets();

    void tick(std::int64_t nowMs);
    // Stopping: answer every member waiting in JoinGroup or SyncGroup.
    void drain();

private:
    Group &getOrCreate(const std::string &groupId);
    void prepareRebalance(Group &g, std::int64_t nowMs);
    void maybeCompleteJoin(Group &g, std::int64_t nowMs);
    void completeJoin(Group &g, std::int64_t nowMs);
    void removeMember(Group &g, const std::string &memberId, std::int64_t nowMs);
    std::string chooseProtocol(const Group &g) const;

    Options m_options;
    Persist m_persist;
    OffsetStore m_offsets;
    std::map<std::string, std::unique_ptr<Group>> m_groups;
    std::uint64_t m_joinCounter = 0;
    std::uint64_t m_memberCounter = 0;
};

} // namespace periscope::broker
