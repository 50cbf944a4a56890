#pragma once

#include "wire/errors.h"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace periscope::broker {

enum class GroupState { Empty, PreparingRebalance, CompletingRebalance, Stable, Dead };
const char *groupStateName(GroupState state);

struct MemberProtocol
{
    std::string name;
    std::string metadata;
};

struct JoinResult
{
    Error error = Error::None;
    std::int32_t generation = -1;
    std::string protocolType;
    std::string protocolName;
    std::string leaderId;
    std::string memberId;
    struct MemberInfo
    {
        std::string id;
        std::optional<std::string> instanceId;
        std::string metadata;
    };
    std::vector<MemberInfo> members; // filled for the leader only
};

using JoinCallback = std::function<void(const JoinResult &)>;
using SyncCallback = std::function<void(Error, const std::string &assignment)>;

struct Member
{
    std::string id;
    std::optional<std::string> instanceId;
    std::string clientId;
    std::string clientHost;
    std::int32_t sessionTimeoutMs = 45000;
    std::int32_t rebalanceTimeoutMs = 300000;
    std::string protocolType;
    std::vector<MemberProtocol> protocols;
    std::string assignment;
    std::int64_t lastHeartbeatMs = 0;
    std::uint64_t joinOrder = 0; // the first joiner leads
    JoinCallback pendingJoin;
    SyncCallback pendingSync;
};

struct Group
{
    std::string id;
    GroupState state = GroupState::Empty;
    std::int32_t generation = 0;
    std::string protocolType;
    std::string protocolName;
    std::string leaderId;
    std::map<std::string, Member> members;
    // Member ids handed out with MEMBER_ID_REQUIRED, each until it joins or its session
    // time-out passes (monotonic deadlines, earliest first).
    std::multimap<std::int64_t, std::string> pendingExpiry;
    std::unordered_map<std::string, std::multimap<std::int64_t, std::string>::iterator>
        pendingMembers;
    // How many members offer each protocol: what every member supports is found without
    // comparing every member's list with every other's.
    std::unordered_map<std::string, std::size_t> protocolSupport;
    std::int64_t rebalanceDeadlineMs = 0; // monotonic, as every time here
    std::int64_t joinDelayDeadlineMs = 0; // a new group waits briefly for more members

    void addPending(const std::string &memberId, std::int64_t deadlineMs);
    bool takePending(const std::string &memberId); // false when it was not pending
    // Counts (delta +1) or uncounts (-1) a member's protocols in protocolSupport.
    void countProtocols(const Member &m, int delta);
    // Topics the members subscribed to (consumer protocol metadata).
    std::set<std::string> subscribedTopics() const;
};

} // namespace periscope::broker
