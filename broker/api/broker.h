#pragma once

#include "base/ratelimitedlog.h"
#include "groups/groupcoordinator.h"
#include "net/server.h"
#include "storage/logstore.h"

#include <filesystem>
#include <list>
#include <map>
#include <string>
#include <unordered_map>

namespace periscope::broker {

struct BrokerOptions
{
    std::filesystem::path dataDir;
    std::string advertisedHost = "127.0.0.1";
    int advertisedPort = 9092;
    int nodeId = 1;
    std::string rack; // empty: none, as Kafka's broker.rack default
    int defaultPartitions = 1;
    bool autoCreateTopics = true;
    int offsetsTopicPartitions = 10;
    std::int64_t initialRebalanceDelayMs = 500;
    std::int64_t retentionCheckIntervalMs = 10000;
    // fetch.max.bytes: the most one Fetch answer carries (beyond its first batch).
    std::int32_t fetchMaxBytes = 57671680;
    // Broker-wide log defaults (log.flush.interval.messages/ms …) under the topic configs.
    LogConfig logDefaults;
    // user → password; when not empty the listener is SASL_PLAINTEXT with mechanism PLAIN.
    std::map<std::string, std::string> saslPlainUsers;
};

inline constexpr const char *kOffsetsTopic = "__consumer_offsets";

// The broker's logic behind the server: it decodes each request, acts on the log store
// and the group coordinator, and encodes the answer.
class Broker final : public RequestSink
{
public:
    explicit Broker(BrokerOptions options);
    ~Broker() override;

    // Loads the data directory (verifying log tails after an unclean stop).
    void open(bool cleanShutdown);
    void attach(Server *server) { m_server = server; }
    void setAdvertisedPort(int port) { m_options.advertisedPort = port; }
    // Syncs every log; false when one had an I/O error, so the stop is not a clean one.
    bool flush();
    const std::string &clusterId() const { return m_clusterId; }
    LogStore &store() { return m_store; }
    const GroupCoordinator &groups() const { return m_groups; }
    std::size_t waitingFetches() const { return m_waitingFetches.size(); }

    HeaderShape headerShape(std::int16_t apiKey, std::int16_t apiVersion) const override;
    Outcome handle(const RequestHeader &header, ByteReader &body, const ResponseRoute &route,
                   ByteWriter &out, const Connection &conn) override;
    bool expectsRawToken(std::uint64_t connectionId) const override;
    Outcome handleRawToken(std::string_view token, ByteWriter &out,
                           const Connection &conn) override;
    void connectionClosed(std::uint64_t connectionId) override;
    void tick(std::int64_t monotonicMs) override;
    void drain() override;
    std::string stats() const override;

    struct Request
    {
        const RequestHeader &header;
        ByteReader &in;
        ByteWriter &out;
        const ResponseRoute &route;
        const Connection &conn;
        std::int16_t version() const { return header.apiVersion; }
    };
    using Handler = Outcome (Broker::*)(Request &);
    struct Api
    {
        std::int16_t key;
        std::int16_t minVersion;
        std::int16_t maxVersion;
        std::int16_t flexibleFrom; // first flexible version; INT16_MAX when none here
        Handler handler;
        const char *name;
    };
    static const std::vector<Api> &apis();
    // Whether ApiVersions lists it: the SASL APIs only when SASL is on.
    bool offers(const Api &api) const;
    bool saslEnabled() const { return !m_options.saslPlainUsers.empty(); }

private:
    // api/handlers_*.cpp
    Outcome apiVersions(Request &r);
    Outcome metadata(Request &r);
    Outcome describeCluster(Request &r);
    Outcome produce(Request &r);
    Outcome fetch(Request &r);
    Outcome listOffsets(Request &r);
    Outcome createTopics(Request &r);
    Outcome deleteTopics(Request &r);
    Outcome createPartitions(Request &r);
    Outcome deleteRecords(Request &r);
    Outcome describeConfigs(Request &r);
    Outcome alterConfigs(Request &r);
    Outcome initProducerId(Request &r);
    Outcome findCoordinator(Request &r);
    Outcome joinGroup(Request &r);
    Outcome syncGroup(Request &r);
    Outcome heartbeat(Request &r);
    Outcome leaveGroup(Request &r);
    Outcome listGroups(Request &r);
    Outcome describeGroups(Request &r);
    Outcome deleteGroups(Request &r);
    Outcome offsetCommit(Request &r);
    Outcome offsetFetch(Request &r);
    Outcome offsetDelete(Request &r);
    Outcome saslHandshake(Request &r);
    Outcome saslAuthenticate(Request &r);

    // api/handlers_sasl.cpp: where each connection is in the SASL exchange. A connection
    // without an entry has not yet shaken hands.
    enum class SaslStage { Handshake, Authenticate, RawToken, Done };
    SaslStage saslStage(std::uint64_t connectionId) const;
    bool saslAllows(const Request &r);
    // The error message when the PLAIN token does not authenticate, empty when it does.
    std::string checkPlain(std::string_view token, const Connection &conn);

    // A Fetch that waits for data (long poll).
    struct FetchPartition
    {
        std::int32_t partition;
        std::int64_t offset;
        std::int32_t maxBytes;
    };
    struct FetchTopic
    {
        std::string name;
        std::vector<FetchPartition> partitions;
    };
    struct PendingFetch
    {
        ResponseRoute route;
        std::int16_t version;
        std::int64_t deadlineMs; // monotonic
        std::int32_t minBytes;
        std::size_t maxBytes; // the request's limit under fetch.max.bytes
        std::vector<FetchTopic> topics;
    };
    std::size_t writeFetchResponse(const PendingFetch &f, ByteWriter &out);
    bool hasNewData(const PendingFetch &f);
    void completeWaitingFetches(std::int64_t nowMs, bool force);

    void writeBrokers(ByteWriter &out, std::int16_t version, bool withRack);
    Topic *autoCreate(const std::string &name);
    bool persistOffsets(const std::string &group, const std::vector<NewRecord> &records);
    std::size_t offsetsPartitionFor(const std::string &group, std::size_t partitions) const;
    void loadCommittedOffsets();
    void loadOrCreateClusterId();

    BrokerOptions m_options;
    LogStore m_store;
    GroupCoordinator m_groups;
    Server *m_server = nullptr;
    std::string m_clusterId;
    std::list<PendingFetch> m_waitingFetches;
    std::unordered_map<std::uint64_t, SaslStage> m_sasl;
    bool m_dataArrived = false;
    std::vector<std::uint8_t> m_decompressed; // Produce's scratch, see produce()
    std::int64_t m_nextProducerId = 1000;
    std::int64_t m_lastRetentionMs = 0;  // monotonic
    std::int64_t m_lastFlushCheckMs = 0; // monotonic
    RateLimitedLog m_rateLimited;
};

} // namespace periscope::broker
