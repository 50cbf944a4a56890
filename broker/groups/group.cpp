#include "group.h"

#include "wire/wire.h"

namespace periscope::broker {

const char *groupStateName(GroupState state)
{
    switch (state) {
    case GroupState::Empty:
        return "Empty";
    case GroupState::PreparingRebalance:
        return "PreparingRebalance";
    case GroupState::CompletingRebalance:
        return "CompletingRebalance";
    case GroupState::Stable:
        return "Stable";
    case GroupState::Dead:
        return "Dead";
    }
    return "Dead";
}

void Group::addPending(const std::string &memberId, std::int64_t deadlineMs)
{
    takePending(memberId);
    pendingMembers[memberId] = pendingExpiry.emplace(deadlineMs, memberId);
}

bool Group::takePending(const std::string &memberId)
{
    auto it = pendingMembers.find(memberId);
    if (it == pendingMembers.end())
        return false;
    pendingExpiry.erase(it->second);
    pendingMembers.erase(it);
    return true;
}

void Group::countProtocols(const Member &m, int delta)
{
    std::unordered_set<std::string_view> seen;
    for (const auto &p : m.protocols) {
        if (!seen.insert(p.name).second)
            continue; // a name listed twice counts once
        if (delta > 0) {
            ++protocolSupport[p.name];
        } else if (auto it = protocolSupport.find(p.name); it != protocolSupport.end()) {
            if (--it->second == 0)
                protocolSupport.erase(it);
        }
    }
}

std::set<std::string> Group::subscribedTopics() const
{
    std::set<std::string> topics;
    if (protocolType != "consumer")
        return topics;
    for (const auto &[memberId, m] : members) {
        for (const auto &p : m.protocols) {
            if (!protocolName.empty() && p.name != protocolName)
                continue;
            // ConsumerProtocolSubscription: version, topics[], user data, ...
            try {
                ByteReader r(reinterpret_cast<const std::uint8_t *>(p.metadata.data()),
                             p.metadata.size());
                r.i16();
                const std::int32_t n = r.i32();
                for (std::int32_t i = 0; i < n; ++i)
                    topics.insert(r.str());
            } catch (const WireError &) {
            }
            break;
        }
    }
    return topics;
}

} // namespace periscope::broker
