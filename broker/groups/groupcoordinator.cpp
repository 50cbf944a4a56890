#include "groupcoordinator.h"

#include <algorithm>
#include <random>
#include <spdlog/spdlog.h>

namespace periscope::broker {

namespace {
std::string randomSuffix()
{
    static std::mt19937_64 rng(std::random_device{}());
    static const char digits[] = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            s += '-';
        s += digits[rng() & 15];
    }
    return s;
}
} // namespace

GroupCoordinator::GroupCoordinator(Options options, Persist persist)
    : m_options(options)
    , m_persist(std::move(persist))
{}

const Group *GroupCoordinator::find(const std::string &groupId) const
{
    auto it = m_groups.find(groupId);
    return it == m_groups.end() ? nullptr : it->second.get();
}

Group &GroupCoordinator::getOrCreate(const std::string &groupId)
{
    auto &slot = m_groups[groupId];
    if (!slot) {
        slot = std::make_unique<Group>();
        slot->id = groupId;
    }
    return *slot;
}

void GroupCoordinator::ensureGroupsForOffsets()
{
    for (const auto &[group, offsets] : m_offsets.all())
        getOrCreate(group);
}

void GroupCoordinator::join(const JoinRequest &req, std::int64_t nowMs, JoinCallback done)
{
    JoinResult fail;
    fail.memberId = req.memberId;
    if (req.groupId.empty()) {
        fail.error = Error::InvalidGroupId;
        return done(fail);
    }
    if (req.sessionTimeoutMs < m_options.minSessionTimeoutMs ||
        req.sessionTimeoutMs > m_options.maxSessionTimeoutMs) {
        fail.error = Error::InvalidSessionTimeout;
        return done(fail);
    }
    if (req.protocolType.empty() || req.protocols.empty()) {
        fail.error = Error::InconsistentGroupProtocol;
        return done(fail);
    }
    Group &g = getOrCreate(req.groupId);
    auto existing = g.members.find(req.memberId);
    if (!g.members.empty()) {
        const bool sameType = g.protocolType == req.protocolType;
        // A protocol everyone else offers too; the joiner's own old list does not count.
        const std::size_t others = g.members.size() - (existing != g.members.end() ? 1 : 0);
        if (existing != g.members.end())
            g.countProtocols(existing->second, -1);
        const bool shared =
            std::any_of(req.protocols.begin(), req.protocols.end(), [&](const auto &p) {
                auto it = g.protocolSupport.find(p.name);
                return (it == g.protocolSupport.end() ? 0 : it->second) == others;
            });
        if (existing != g.members.end())
            g.countProtocols(existing->second, +1);
        if (!sameType || !shared) {
            fail.error = Error::InconsistentGroupProtocol;
            return done(fail);
        }
    }
    std::string memberId = req.memberId;
    if (memberId.empty()) {
        memberId =
            (req.clientId.empty() ? std::string("member") : req.clientId) + "-" + randomSuffix();
        if (req.requireKnownMemberId) {
            // Kept until the member joins with it or its session time-out passes, and never
            // more than a bounded number: a client that asks and goes holds nothing for long.
            if (g.pendingMembers.size() >= m_options.maxPendingMembers)
                g.takePending(g.pendingExpiry.begin()->second);
            g.addPending(memberId, nowMs + req.sessionTimeoutMs);
            fail.error = Error::MemberIdRequired;
            fail.memberId = memberId;
            return done(fail);
        }
    } else if (existing == g.members.end() && !g.takePending(memberId)) {
        fail.error = Error::UnknownMemberId;
        return done(fail);
    }
    const bool isNew = existing == g.members.end();
    Member &m = g.members[memberId];
    if (isNew)
        m.joinOrder = ++m_joinCounter;
    else
        g.countProtocols(m, -1);
    m.id = memberId;
    m.instanceId = req.instanceId;
    m.clientId = req.clientId;
    m.clientHost = req.clientHost;
    m.sessionTimeoutMs = req.sessionTimeoutMs;
    m.rebalanceTimeoutMs =
        req.rebalanceTimeoutMs > 0 ? req.rebalanceTimeoutMs : req.sessionTimeoutMs;
    m.protocolType = req.protocolType;
    m.protocols = req.protocols;
    g.countProtocols(m, +1);
    m.lastHeartbeatMs = nowMs;
    if (m.pendingJoin) {
        // A member that re-sends JoinGroup replaces its earlier wait.
        JoinResult superseded;
        superseded.error = Error::RebalanceInProgress;
        superseded.memberId = memberId;
        std::exchange(m.pendingJoin, nullptr)(superseded);
    }
    m.pendingJoin = std::move(done);
    g.protocolType = req.protocolType;
    if (g.state != GroupState::PreparingRebalance)
        prepareRebalance(g, nowMs);
    else if (g.joinDelayDeadlineMs > 0)
        g.joinDelayDeadlineMs =
            std::min(nowMs + m_options.initialRebalanceDelayMs, g.rebalanceDeadlineMs);
    maybeCompleteJoin(g, nowMs);
}

void GroupCoordinator::prepareRebalance(Group &g, std::int64_t nowMs)
{
    if (g.state == GroupState::CompletingRebalance) {
        for (auto &[id, m] : g.members)
            if (m.pendingSync)
                std::exchange(m.pendingSync, nullptr)(Error::RebalanceInProgress, {});
    }
    const bool fresh = g.state == GroupState::Empty;
    g.state = GroupState::PreparingRebalance;
    std::int32_t timeout = 0;
    for (const auto &[id, m] : g.members)
        timeout = std::max(timeout, m.rebalanceTimeoutMs);
    g.rebalanceDeadlineMs = nowMs + timeout;
    g.joinDelayDeadlineMs =
        fresh ? std::min(nowMs + m_options.initialRebalanceDelayMs, g.rebalanceDeadlineMs) : 0;
    spdlog::info("group {}: preparing rebalance (generation {}, {} member(s))", g.id, g.generation,
                 g.members.size());
}

void GroupCoordinator::maybeCompleteJoin(Group &g, std::int64_t nowMs)
{
    if (g.state != GroupState::PreparingRebalance)
        return;
    const bool allJoined = std::all_of(g.members.begin(), g.members.end(),
                                       [](const auto &m) { return bool(m.second.pendingJoin); });
    if ((allJoined && nowMs >= g.joinDelayDeadlineMs) || nowMs >= g.rebalanceDeadlineMs)
        completeJoin(g, nowMs);
}

std::string GroupCoordinator::chooseProtocol(const Group &g) const
{
    // Kafka's rule: each member votes for its most preferred protocol among those every
    // member supports; the most votes win (ties: the first name in order).
    std::unordered_map<std::string_view, std::size_t> votes;
    for (const auto &[id, m] : g.members) {
        for (const auto &p : m.protocols) {
            auto it = g.protocolSupport.find(p.name);
            if (it != g.protocolSupport.end() && it->second == g.members.size()) {
                ++votes[p.name];
                break;
            }
        }
    }
    std::string_view best;
    std::size_t most = 0;
    for (const auto &[name, n] : votes)
        if (n > most || (n == most && name < best)) {
            best = name;
            most = n;
        }
    return std::string(best);
}

void GroupCoordinator::completeJoin(Group &g, std::int64_t nowMs)
{
    for (auto it = g.members.begin(); it != g.members.end();) {
        if (!it->second.pendingJoin) {
            spdlog::info("group {}: member {} did not rejoin in time, removed", g.id, it->first);
            g.countProtocols(it->second, -1);
            it = g.members.erase(it);
        } else {
            ++it;
        }
    }
    ++g.generation;
    if (g.members.empty()) {
        g.state = GroupState::Empty;
        g.protocolName.clear();
        g.leaderId.clear();
        return;
    }
    g.protocolName = chooseProtocol(g);
    if (!g.members.count(g.leaderId)) {
        auto first =
            std::min_element(g.members.begin(), g.members.end(), [](const auto &a, const auto &b) {
                return a.second.joinOrder < b.second.joinOrder;
            });
        g.leaderId = first->first;
    }
    g.state = GroupState::CompletingRebalance;
    spdlog::info("group {}: generation {} with {} member(s), protocol {}", g.id, g.generation,
                 g.members.size(), g.protocolName);
    JoinResult base;
    base.generation = g.generation;
    base.protocolType = g.protocolType;
    base.protocolName = g.protocolName;
    base.leaderId = g.leaderId;
    std::vector<JoinCallback> callbacks;
    std::vector<JoinResult> results;
    for (auto &[id, m] : g.members) {
        m.assignment.clear();
        m.lastHeartbeatMs = nowMs;
        JoinResult r = base;
        r.memberId = id;
        if (id == g.leaderId) {
            for (const auto &[oid, o] : g.members) {
                auto proto = std::find_if(o.protocols.begin(), o.protocols.end(),
                                          [&](const auto &p) { return p.name == g.protocolName; });
                r.members.push_back(
                    {oid, o.instanceId, proto != o.protocols.end() ? proto->metadata : ""});
            }
        }
        callbacks.push_back(std::exchange(m.pendingJoin, nullptr));
        results.push_back(std::move(r));
    }
    // Callbacks may re-enter the coordinator (a pipelined request): call them last.
    for (std::size_t i = 0; i < callbacks.size(); ++i)
        callbacks[i](results[i]);
}

void GroupCoordinator::sync(const std::string &groupId, const std::string &memberId,
                            std::int32_t generation,
                            const std::map<std::string, std::string> &assignments,
                            std::int64_t nowMs, SyncCallback done)
{
    auto it = m_groups.find(groupId);
    if (it == m_groups.end() || !it->second->members.count(memberId))
        return done(Error::UnknownMemberId, {});
    Group &g = *it->second;
    if (generation != g.generation)
        return done(Error::IllegalGeneration, {});
    Member &m = g.members[memberId];
    m.lastHeartbeatMs = nowMs;
    switch (g.state) {
    case GroupState::PreparingRebalance:
        return done(Error::RebalanceInProgress, {});
    case GroupState::Stable:
        return done(Error::None, m.assignment);
    case GroupState::CompletingRebalance:
        break;
    default:
        return done(Error::UnknownMemberId, {});
    }
    m.pendingSync = std::move(done);
    if (memberId != g.leaderId)
        return;
    for (auto &[id, member] : g.members) {
        auto a = assignments.find(id);
        member.assignment = a == assignments.end() ? std::string() : a->second;
    }
    g.state = GroupState::Stable;
    std::vector<std::pair<SyncCallback, std::string>> ready;
    for (auto &[id, member] : g.members)
        if (member.pendingSync)
            ready.emplace_back(std::exchange(member.pendingSync, nullptr), member.assignment);
    for (auto &[cb, assignment] : ready)
        cb(Error::None, assignment);
}

Error GroupCoordinator::heartbeat(const std::string &groupId, const std::string &memberId,
                                  std::int32_t generation, std::int64_t nowMs)
{
    auto it = m_groups.find(groupId);
    if (it == m_groups.end() || !it->second->members.count(memberId))
        return Error::UnknownMemberId;
    Group &g = *it->second;
    if (generation != g.generation)
        return Error::IllegalGeneration;
    g.members[memberId].lastHeartbeatMs = nowMs;
    return g.state == GroupState::PreparingRebalance ? Error::RebalanceInProgress : Error::None;
}

Error GroupCoordinator::leave(const std::string &groupId, const std::string &memberId,
                              std::int64_t nowMs)
{
    auto it = m_groups.find(groupId);
    if (it == m_groups.end() || !it->second->members.count(memberId))
        return Error::UnknownMemberId;
    spdlog::info("group {}: member {} left", groupId, memberId);
    removeMember(*it->second, memberId, nowMs);
    return Error::None;
}

void GroupCoordinator::removeMember(Group &g, const std::string &memberId, std::int64_t nowMs)
{
    auto it = g.members.find(memberId);
    if (it == g.members.end())
        return;
    g.countProtocols(it->second, -1);
    Member gone = std::move(it->second);
    g.members.erase(it);
    if (gone.pendingJoin) {
        JoinResult r;
        r.error = Error::UnknownMemberId;
        r.memberId = memberId;
        gone.pendingJoin(r);
    }
    if (gone.pendingSync)
        gone.pendingSync(Error::UnknownMemberId, {});
    if (g.members.empty() && g.state != GroupState::PreparingRebalance) {
        ++g.generation;
        g.state = GroupState::Empty;
        g.protocolName.clear();
        g.leaderId.clear();
        return;
    }
    if (g.state == GroupState::PreparingRebalance)
        maybeCompleteJoin(g, nowMs);
    else
        prepareRebalance(g, nowMs);
}

Error GroupCoordinator::commit(const std::string &groupId, const std::string &memberId,
                               std::int32_t generation, std::vector<CommitEntry> &entries)
{
    if (groupId.empty())
        return Error::InvalidGroupId;
    Group &g = getOrCreate(groupId);
    const bool simple = generation < 0 && memberId.empty();
    if (simple) {
        if (g.state != GroupState::Empty)
            return Error::UnknownMemberId;
    } else {
        if (g.state == GroupState::CompletingRebalance)
            return Error::RebalanceInProgress;
        if (!g.members.count(memberId))
            return Error::UnknownMemberId;
        if (generation != g.generation)
            return Error::IllegalGeneration;
    }
    std::vector<std::pair<TopicPartitionKey, CommittedOffset>> accepted;
    for (const auto &e : entries)
        if (e.error == Error::None)
            accepted.emplace_back(e.tp, e.offset);
    if (accepted.empty())
        return Error::None;
    // Write first; the in-memory copy changes only when the log took the records.
    std::vector<NewRecord> records;
    for (const auto &[tp, o] : accepted)
        records.push_back(
            {OffsetStore::encodeKey(groupId, tp.first, tp.second), OffsetStore::encodeValue(o)});
    if (!m_persist(groupId, records)) {
        for (auto &e : entries)
            if (e.error == Error::None)
                e.error = Error::CoordinatorNotAvailable;
        return Error::None;
    }
    m_offsets.commit(groupId, accepted);
    return Error::None;
}

Error GroupCoordinator::deleteGroup(const std::string &groupId)
{
    auto it = m_groups.find(groupId);
    if (it == m_groups.end())
        return Error::GroupIdNotFound;
    if (it->second->state != GroupState::Empty)
        return Error::NonEmptyGroup;
    const auto records = m_offsets.removeGroup(groupId);
    if (!records.empty())
        m_persist(groupId, records);
    m_groups.erase(it);
    spdlog::info("group {} deleted", groupId);
    return Error::None;
}

Error GroupCoordinator::deleteOffsets(const std::string &groupId,
                                      std::vector<std::pair<TopicPartitionKey, Error>> &which)
{
    auto it = m_groups.find(groupId);
    if (it == m_groups.end())
        return Error::GroupIdNotFound;
    const Group &g = *it->second;
    if (g.state != GroupState::Empty && g.protocolType != "consumer")
        return Error::NonEmptyGroup;
    const auto subscribed =
        g.state == GroupState::Empty ? std::set<std::string>() : g.subscribedTopics();
    std::vector<TopicPartitionKey> removable;
    for (auto &[tp, err] : which) {
        if (subscribed.count(tp.first))
            err = Error::GroupSubscribedToTopic;
        else if (err == Error::None)
            removable.push_back(tp);
    }
    const auto records = m_offsets.remove(groupId, removable);
    if (!records.empty())
        m_persist(groupId, records);
    return Error::None;
}

void GroupCoordinator::topicsDeleted(const std::unordered_set<std::string> &topics)
{
    // One pass over all committed offsets however many topics went; deleted per group so
    // each tombstone lands in that group's partition.
    std::vector<std::pair<std::string, std::vector<TopicPartitionKey>>> gone;
    for (const auto &[group, offsets] : m_offsets.all()) {
        std::vector<TopicPartitionKey> which;
        for (const auto &[tp, o] : offsets)
            if (topics.count(tp.first))
                which.push_back(tp);
        if (!which.empty())
            gone.emplace_back(group, std::move(which));
    }
    for (const auto &[group, which] : gone) {
        const auto records = m_offsets.remove(group, which);
        if (!records.empty())
            m_persist(group, records);
    }
}

void GroupCoordinator::tick(std::int64_t nowMs)
{
    for (auto &[id, gp] : m_groups) {
        Group &g = *gp;
        while (!g.pendingExpiry.empty() && g.pendingExpiry.begin()->first <= nowMs)
            g.takePending(g.pendingExpiry.begin()->second);
        if (g.state == GroupState::PreparingRebalance) {
            maybeCompleteJoin(g, nowMs);
            continue;
        }
        std::vector<std::string> expired;
        for (const auto &[mid, m] : g.members)
            if (nowMs - m.lastHeartbeatMs > m.sessionTimeoutMs)
                expired.push_back(mid);
        for (const auto &mid : expired) {
            spdlog::info("group {}: member {} timed out", g.id, mid);
            removeMember(g, mid, nowMs);
        }
    }
}

void GroupCoordinator::drain()
{
    for (auto &[id, g] : m_groups) {
        for (auto &[mid, m] : g->members) {
            if (m.pendingJoin) {
                JoinResult r;
                r.error = Error::CoordinatorNotAvailable;
                r.memberId = mid;
                std::exchange(m.pendingJoin, nullptr)(r);
            }
            if (m.pendingSync)
                std::exchange(m.pendingSync, nullptr)(Error::CoordinatorNotAvailable, {});
        }
    }
}

} // namespace periscope::broker
