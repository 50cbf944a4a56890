// JoinGroup, SyncGroup, Heartbeat, LeaveGroup, ListGroups, DescribeGroups, DeleteGroups.
#include "base/clock.h"
#include "broker.h"

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

namespace {
std::string hostOf(const std::string &peer)
{
    return "/" + peer.substr(0, peer.rfind(':'));
}
} // namespace

Outcome Broker::joinGroup(Request &r)
{
    const auto v = r.version();
    GroupCoordinator::JoinRequest req;
    req.groupId = r.in.str();
    req.sessionTimeoutMs = r.in.i32();
    req.rebalanceTimeoutMs = v >= 1 ? r.in.i32() : req.sessionTimeoutMs;
    req.memberId = r.in.str();
    if (v >= 5)
        req.instanceId = r.in.nullableStr();
    req.protocolType = r.in.str();
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i) {
        MemberProtocol p;
        p.name = r.in.str();
        p.metadata = std::string(r.in.bytes());
        req.protocols.push_back(std::move(p));
    }
    req.clientId = r.header.clientId.value_or("");
    req.clientHost = hostOf(r.conn.peer);
    req.requireKnownMemberId = v >= 4;

    const ResponseRoute route = r.route;
    m_groups.join(req, clock::monotonicMs(), [this, route, v](const JoinResult &res) {
        ByteWriter out = beginResponse(route);
        if (v >= 2)
            out.i32(0);
        out.i16(code(res.error));
        out.i32(res.generation);
        out.str(res.protocolName);
        out.str(res.leaderId);
        out.str(res.memberId);
        out.arrayLength(res.members.size());
        for (const auto &m : res.members) {
            out.str(m.id);
            if (v >= 5)
                out.nullableStr(m.instanceId);
            out.bytes(m.metadata);
        }
        m_server->respond(route, std::move(out));
    });
    return Outcome::Defer;
}

Outcome Broker::syncGroup(Request &r)
{
    const auto v = r.version();
    const std::string groupId = r.in.str();
    const std::int32_t generation = r.in.i32();
    const std::string memberId = r.in.str();
    if (v >= 3)
        r.in.nullableStr(); // group instance id
    std::map<std::string, std::string> assignments;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i) {
        std::string id = r.in.str();
        assignments[std::move(id)] = std::string(r.in.bytes());
    }
    const ResponseRoute route = r.route;
    m_groups.sync(groupId, memberId, generation, assignments, clock::monotonicMs(),
                  [this, route, v](Error err, const std::string &assignment) {
                      ByteWriter out = beginResponse(route);
                      if (v >= 1)
                          out.i32(0);
                      out.i16(code(err));
                      out.bytes(assignment);
                      m_server->respond(route, std::move(out));
                  });
    return Outcome::Defer;
}

Outcome Broker::heartbeat(Request &r)
{
    const std::string groupId = r.in.str();
    const std::int32_t generation = r.in.i32();
    const std::string memberId = r.in.str();
    if (r.version() >= 1)
        r.out.i32(0);
    r.out.i16(code(m_groups.heartbeat(groupId, memberId, generation, clock::monotonicMs())));
    return Outcome::Respond;
}

Outcome Broker::leaveGroup(Request &r)
{
    const std::string groupId = r.in.str();
    const std::string memberId = r.in.str();
    if (r.version() >= 1)
        r.out.i32(0);
    r.out.i16(code(m_groups.leave(groupId, memberId, clock::monotonicMs())));
    return Outcome::Respond;
}

Outcome Broker::listGroups(Request &r)
{
    const auto v = r.version();
    std::vector<std::string> states;
    if (v >= 4) {
        const std::int32_t n = r.in.arrayLength();
        for (std::int32_t i = 0; i < n; ++i)
            states.push_back(r.in.str());
    }
    r.in.skipTags();
    ByteWriter &out = r.out;
    if (v >= 1)
        out.i32(0);
    out.i16(0);
    std::vector<const Group *> shown;
    for (const auto &[id, g] : m_groups.groups()) {
        const std::string state = groupStateName(g->state);
        if (states.empty() || std::find(states.begin(), states.end(), state) != states.end())
            shown.push_back(g.get());
    }
    out.arrayLength(shown.size());
    for (const Group *g : shown) {
        out.str(g->id);
        // Groups that only hold committed offsets are reported as consumer groups.
        out.str(g->protocolType.empty() ? "consumer" : g->protocolType);
        if (v >= 4)
            out.str(groupStateName(g->state));
        out.tags();
    }
    out.tags();
    return Outcome::Respond;
}

Outcome Broker::describeGroups(Request &r)
{
    const auto v = r.version();
    std::vector<std::string> ids;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i)
        ids.push_back(r.in.str());
    ByteWriter &out = r.out;
    if (v >= 1)
        out.i32(0);
    out.arrayLength(ids.size());
    for (const auto &id : ids) {
        const Group *g = m_groups.find(id);
        out.i16(code(id.empty() ? Error::InvalidGroupId : Error::None));
        out.str(id);
        if (!g) {
            out.str("Dead");
            out.str("");
            out.str("");
            out.arrayLength(0);
        } else {
            out.str(groupStateName(g->state));
            out.str(g->protocolType.empty() ? "consumer" : g->protocolType);
            out.str(g->protocolName);
            const bool withMembers = g->state != GroupState::Empty && g->state != GroupState::Dead;
            out.arrayLength(withMembers ? g->members.size() : 0);
            if (withMembers) {
                for (const auto &[mid, m] : g->members) {
                    out.str(mid);
                    if (v >= 4)
                        out.nullableStr(m.instanceId);
                    out.str(m.clientId);
                    out.str(m.clientHost);
                    std::string metadata;
                    for (const auto &p : m.protocols)
                        if (p.name == g->protocolName)
                            metadata = p.metadata;
                    out.bytes(metadata);
                    out.bytes(g->state == GroupState::Stable ? m.assignment : std::string());
                }
            }
        }
        if (v >= 3)
            out.i32(INT32_MIN); // authorized operations not computed
    }
    return Outcome::Respond;
}

Outcome Broker::deleteGroups(Request &r)
{
    std::vector<std::string> ids;
    const std::int32_t n = r.in.arrayLength();
    for (std::int32_t i = 0; i < n; ++i)
        ids.push_back(r.in.str());
    ByteWriter &out = r.out;
    out.i32(0);
    out.arrayLength(ids.size());
    for (const auto &id : ids) {
        out.str(id);
        out.i16(code(m_groups.deleteGroup(id)));
    }
    return Outcome::Respond;
}

} // namespace periscope::broker
