// ApiVersions, Metadata, DescribeCluster, FindCoordinator, InitProducerId.
#include "broker.h"

#include <spdlog/spdlog.h>

namespace periscope::broker {

using Outcome = RequestSink::Outcome;

Outcome Broker::apiVersions(Request &r)
{
    const Api *self = nullptr;
    for (const auto &api : apis())
        if (api.key == 18)
            self = &api;
    const bool supported = r.version() <= self->maxVersion;
    ByteWriter &out = r.out;
    if (!supported) {
        out.setFlexible(false); // the v0 layout, which every client can read
        out.i16(code(Error::UnsupportedVersion));
    } else {
        if (r.version() >= 3) {
            r.in.str(); // client software name
            r.in.str(); // and version
            r.in.skipTags();
        }
        out.setFlexible(r.version() >= 3);
        out.i16(0);
    }
    std::size_t offered = 0;
    for (const auto &api : apis())
        offered += offers(api) ? 1 : 0;
    out.arrayLength(offered);
    for (const auto &api : apis()) {
        if (!offers(api))
            continue;
        out.i16(api.key);
        out.i16(api.minVersion);
        out.i16(api.maxVersion);
        out.tags();
    }
    if (supported && r.version() >= 1)
        out.i32(0); // throttle
    out.tags();
    return Outcome::Respond;
}

void Broker::writeBrokers(ByteWriter &out, std::int16_t /*version*/, bool withRack)
{
    out.arrayLength(1);
    out.i32(m_options.nodeId);
    out.str(m_options.advertisedHost);
    out.i32(m_options.advertisedPort);
    if (withRack)
        out.nullableStr(m_options.rack.empty() ? std::nullopt
                                               : std::optional<std::string>(m_options.rack));
    out.tags();
}

Topic *Broker::autoCreate(const std::string &name)
{
    if (!m_options.autoCreateTopics || LogStore::validateTopicName(name))
        return nullptr;
    auto result = m_store.createTopic(name, m_options.defaultPartitions, 1, {}, false);
    if (result.error != Error::None)
        return nullptr;
    spdlog::info("auto-created topic {} with {} partition(s)", name, m_options.defaultPartitions);
    return m_store.find(name);
}

Outcome Broker::metadata(Request &r)
{
    const auto v = r.version();
    std::vector<std::string> wanted;
    bool all = false;
    const std::int32_t n = r.in.arrayLength();
    if (n < 0 || (n == 0 && v == 0))
        all = true;
    for (std::int32_t i = 0; i < n; ++i)
        wanted.push_back(r.in.str());
    const bool allowAutoCreate = v < 4 || r.in.boolean();

    ByteWriter &out = r.out;
    if (v >= 3)
        out.i32(0);
    writeBrokers(out, v, v >= 1);
    if (v >= 2)
        out.str(m_clusterId);
    if (v >= 1)
        out.i32(m_options.nodeId); // the controller
    std::vector<std::pair<std::string, Topic *>> topics;
    if (all) {
        for (const auto &[name, topic] : m_store.topics())
            topics.emplace_back(name, topic.get());
    } else {
        for (const auto &name : wanted) {
            Topic *t = m_store.find(name);
            if (!t && allowAutoCreate)
                t = autoCreate(name);
            topics.emplace_back(name, t);
        }
    }
    out.arrayLength(topics.size());
    for (const auto &[name, t] : topics) {
        Error err = Error::None;
        if (!t)
            err = LogStore::validateTopicName(name) ? Error::InvalidTopic
                                                    : Error::UnknownTopicOrPartition;
        out.i16(code(err));
        out.str(name);
        if (v >= 1)
            out.boolean(t && t->internal);
        const std::size_t parts = t ? t->partitions.size() : 0;
        out.arrayLength(parts);
        for (std::size_t p = 0; p < parts; ++p) {
            out.i16(0);
            out.i32(static_cast<std::int32_t>(p));
            out.i32(m_options.nodeId);
            out.arrayLength(1);
            out.i32(m_options.nodeId);
            out.arrayLength(1);
            out.i32(m_options.nodeId);
            if (v >= 5)
                out.arrayLength(0);
        }
    }
    return Outcome::Respond;
}

Outcome Broker::describeCluster(Request &r)
{
    r.in.boolean(); // include authorized operations
    r.in.skipTags();
    ByteWriter &out = r.out;
    out.i32(0);
    out.i16(0);
    out.nullStr();
    out.str(m_clusterId);
    out.i32(m_options.nodeId);
    writeBrokers(out, r.version(), true);
    out.i32(INT32_MIN); // authorized operations not computed
    out.tags();
    return Outcome::Respond;
}

Outcome Broker::findCoordinator(Request &r)
{
    r.in.str(); // key: every group and transaction is coordinated here
    const std::int8_t keyType = r.version() >= 1 ? r.in.i8() : 0;
    ByteWriter &out = r.out;
    if (r.version() >= 1)
        out.i32(0);
    const bool group = keyType == 0;
    out.i16(code(group ? Error::None : Error::CoordinatorNotAvailable));
    if (r.version() >= 1) {
        if (group)
            out.nullStr();
        else
            out.str("transactions are not supported by periscope-broker");
    }
    out.i32(group ? m_options.nodeId : -1);
    out.str(group ? m_options.advertisedHost : "");
    out.i32(group ? m_options.advertisedPort : -1);
    return Outcome::Respond;
}

Outcome Broker::initProducerId(Request &r)
{
    const auto transactionalId = r.in.nullableStr();
    r.in.i32(); // transaction timeout
    if (r.version() >= 3) {
        r.in.i64();
        r.in.i16();
    }
    r.in.skipTags();
    ByteWriter &out = r.out;
    out.i32(0);
    if (transactionalId) {
        out.i16(code(Error::CoordinatorNotAvailable)); // no transaction coordinator here
        out.i64(-1);
        out.i16(-1);
    } else {
        out.i16(0);
        out.i64(m_nextProducerId++);
        out.i16(0);
    }
    out.tags();
    return Outcome::Respond;
}

} // namespace periscope::broker
