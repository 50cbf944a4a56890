#include "broker.h"

#include "base/clock.h"
#include "storage/fileio.h"

#include <functional>
#include <random>
#include <spdlog/spdlog.h>

namespace periscope::broker {

namespace {
constexpr std::int16_t kNone = INT16_MAX;
// How often logs are checked for a sync that flush.ms asks for.
constexpr std::int64_t kFlushCheckMs = 50;
} // namespace

const std::vector<Broker::Api> &Broker::apis()
{
    // Version ranges: what librdkafka 2.0.2, kafka-python 2.0.2 and Sarama need, and all of
    // it implemented. ApiVersions advertises exactly this table (the SASL APIs only when
    // SASL is on).
    static const std::vector<Api> table = {
        {0, 0, 7, kNone, &Broker::produce, "Produce"},
        {1, 0, 11, kNone, &Broker::fetch, "Fetch"},
        {2, 0, 2, kNone, &Broker::listOffsets, "ListOffsets"},
        {3, 0, 5, kNone, &Broker::metadata, "Metadata"},
        {8, 0, 7, kNone, &Broker::offsetCommit, "OffsetCommit"},
        {9, 0, 7, 6, &Broker::offsetFetch, "OffsetFetch"},
        {10, 0, 2, kNone, &Broker::findCoordinator, "FindCoordinator"},
        {11, 0, 5, kNone, &Broker::joinGroup, "JoinGroup"},
        {12, 0, 3, kNone, &Broker::heartbeat, "Heartbeat"},
        {13, 0, 1, kNone, &Broker::leaveGroup, "LeaveGroup"},
        {14, 0, 3, kNone, &Broker::syncGroup, "SyncGroup"},
        {15, 0, 4, kNone, &Broker::describeGroups, "DescribeGroups"},
        {16, 0, 4, 3, &Broker::listGroups, "ListGroups"},
        {17, 0, 1, kNone, &Broker::saslHandshake, "SaslHandshake"},
        {18, 0, 3, 3, &Broker::apiVersions, "ApiVersions"},
        {19, 0, 4, kNone, &Broker::createTopics, "CreateTopics"},
        {20, 0, 3, kNone, &Broker::deleteTopics, "DeleteTopics"},
        {21, 0, 1, kNone, &Broker::deleteRecords, "DeleteRecords"},
        {22, 0, 4, 2, &Broker::initProducerId, "InitProducerId"},
        {32, 0, 2, kNone, &Broker::describeConfigs, "DescribeConfigs"},
        {33, 0, 1, kNone, &Broker::alterConfigs, "AlterConfigs"},
        {36, 0, 2, 2, &Broker::saslAuthenticate, "SaslAuthenticate"},
        {37, 0, 1, kNone, &Broker::createPartitions, "CreatePartitions"},
        {42, 0, 1, kNone, &Broker::deleteGroups, "DeleteGroups"},
        {47, 0, 0, kNone, &Broker::offsetDelete, "OffsetDelete"},
        {60, 0, 0, 0, &Broker::describeCluster, "DescribeCluster"},
    };
    return table;
}

namespace {
const Broker::Api *findApi(std::int16_t key)
{
    for (const auto &api : Broker::apis())
        if (api.key == key)
            return &api;
    return nullptr;
}
} // namespace

Broker::Broker(BrokerOptions options)
    : m_options(std::move(options))
    , m_store(m_options.dataDir, m_options.logDefaults)
    , m_groups({m_options.initialRebalanceDelayMs, 1000, 1800000},
               [this](const std::string &group, const std::vector<NewRecord> &records) {
                   return persistOffsets(group, records);
               })
{}

Broker::~Broker() = default;

void Broker::loadOrCreateClusterId()
{
    const auto path = m_options.dataDir / "meta.properties";
    const std::string content = readSmallFile(path);
    const auto at = content.find("cluster.id=");
    if (at != std::string::npos) {
        m_clusterId = content.substr(at + 11, content.find('\n', at) - at - 11);
        return;
    }
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::mt19937_64 rng(std::random_device{}());
    for (int i = 0; i < 22; ++i)
        m_clusterId += alphabet[rng() % 64];
    writeFileAtomically(path, "version=1\ncluster.id=" + m_clusterId +
                                  "\nnode.id=" + std::to_string(m_options.nodeId) + "\n");
}

void Broker::open(bool cleanShutdown)
{
    std::filesystem::create_directories(m_options.dataDir);
    loadOrCreateClusterId();
    m_store.load(cleanShutdown);
    if (!m_store.find(kOffsetsTopic))
        m_store.createTopic(kOffsetsTopic, m_options.offsetsTopicPartitions, 1,
                            {{"cleanup.policy", "compact"}, {"segment.bytes", "104857600"}}, false,
                            true);
    loadCommittedOffsets();
    m_nextProducerId = clock::wallMs(); // unique across restarts without persisting anything
}

void Broker::loadCommittedOffsets()
{
    Topic *topic = m_store.find(kOffsetsTopic);
    std::vector<std::uint8_t> buf;
    for (auto &log : topic->partitions) {
        std::int64_t offset = log->logStartOffset();
        while (offset < log->highWatermark()) {
            buf.clear();
            if (log->read(offset, 1 << 20, buf) != Error::None || buf.empty())
                break;
            std::size_t at = 0;
            while (at < buf.size()) {
                auto b = peekBatch(buf.data() + at, buf.size() - at);
                if (!b)
                    break;
                forEachRecord(buf.data() + at, static_cast<std::size_t>(b->totalSize),
                              [this](const Record &rec) { m_groups.offsets().replay(rec); });
                offset = b->lastOffset() + 1;
                at += static_cast<std::size_t>(b->totalSize);
            }
        }
    }
    m_groups.ensureGroupsForOffsets();
}

bool Broker::persistOffsets(const std::string &group, const std::vector<NewRecord> &records)
{
    Topic *topic = m_store.find(kOffsetsTopic);
    if (!topic || topic->partitions.empty())
        return false;
    const std::size_t p = offsetsPartitionFor(group, topic->partitions.size());
    const std::int64_t now = clock::wallMs();
    std::string bytes = buildBatch(records, now);
    std::vector<BatchInfo> batches;
    if (splitBatches(bytes, batches) != BatchProblem::None)
        return false;
    try {
        auto result = topic->partitions[p]->append(reinterpret_cast<std::uint8_t *>(bytes.data()),
                                                   batches, topic->logConfig, now);
        if (result.error != Error::None) {
            spdlog::error("cannot write committed offsets of group {}: {}", group, result.message);
            return false;
        }
        m_dataArrived = true;
        return true;
    } catch (const std::exception &e) {
        spdlog::error("cannot write committed offsets: {}", e.what());
        return false;
    }
}

std::size_t Broker::offsetsPartitionFor(const std::string &group, std::size_t partitions) const
{
    // Every data directory written so far placed groups with this hash, and the partition
    // count of the offsets topic cannot change: a group's offsets stay where they are.
    return std::hash<std::string>{}(group) % partitions;
}

bool Broker::flush()
{
    return m_store.flush();
}

RequestSink::HeaderShape Broker::headerShape(std::int16_t apiKey, std::int16_t apiVersion) const
{
    const Api *api = findApi(apiKey);
    if (!api || !offers(*api))
        return {};
    const bool flexible = apiVersion >= api->flexibleFrom;
    // ApiVersions answers with header v0 always, so an old client can read the error.
    return {true, flexible, flexible && apiKey != 18};
}

RequestSink::Outcome Broker::handle(const RequestHeader &header, ByteReader &body,
                                    const ResponseRoute &route, ByteWriter &out,
                                    const Connection &conn)
{
    const Api *api = findApi(header.apiKey);
    Request r{header, body, out, route, conn};
    if (saslEnabled() && !saslAllows(r))
        return Outcome::Close;
    if (header.apiVersion < api->minVersion || header.apiVersion > api->maxVersion) {
        if (header.apiKey == 18)
            return apiVersions(r); // answers UNSUPPORTED_VERSION in the v0 format
        m_rateLimited.log(spdlog::level::warn, "unsupported-version",
                          std::string(api->name) + " v" + std::to_string(header.apiVersion) +
                              " from " + conn.peer + " is not supported (supported: v" +
                              std::to_string(api->minVersion) + "-v" +
                              std::to_string(api->maxVersion) + ")");
        return Outcome::Close;
    }
    return (this->*(api->handler))(r);
}

void Broker::connectionClosed(std::uint64_t connectionId)
{
    m_sasl.erase(connectionId);
    m_waitingFetches.remove_if(
        [&](const PendingFetch &f) { return f.route.connectionId == connectionId; });
}

void Broker::tick(std::int64_t monotonicMs)
{
    completeWaitingFetches(monotonicMs, false);
    m_groups.tick(monotonicMs);
    if (monotonicMs - m_lastRetentionMs >= m_options.retentionCheckIntervalMs) {
        m_lastRetentionMs = monotonicMs;
        m_store.applyRetention(clock::wallMs()); // retention compares with record times
    }
    if (monotonicMs - m_lastFlushCheckMs >= kFlushCheckMs) {
        m_lastFlushCheckMs = monotonicMs;
        m_store.flushDue(monotonicMs);
    }
}

void Broker::drain()
{
    completeWaitingFetches(clock::monotonicMs(), true);
    m_groups.drain();
}

std::string Broker::stats() const
{
    std::size_t members = 0;
    std::size_t pending = 0;
    for (const auto &[id, g] : m_groups.groups()) {
        members += g->members.size();
        pending += g->pendingMembers.size();
    }
    std::size_t failedLogs = 0;
    for (const auto &[name, topic] : m_store.topics())
        for (const auto &log : topic->partitions)
            failedLogs += log->failed() ? 1 : 0;
    return " waiting_fetches=" + std::to_string(m_waitingFetches.size()) +
           " groups=" + std::to_string(m_groups.groups().size()) +
           " members=" + std::to_string(members) + " pending_members=" + std::to_string(pending) +
           " log_syncs=" + std::to_string(syncCount()) +
           " failed_logs=" + std::to_string(failedLogs);
}

} // namespace periscope::broker
