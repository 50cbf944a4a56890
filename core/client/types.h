#pragma once

// Plain value types the client layer delivers. They know nothing of librdkafka, so the
// models, widgets and snapshots can use them without it.

#include "jobs/failedanswer.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace periscope::client {

struct ClientError
{
    enum class Kind {
        None,
        Unreachable, // no broker answered (refused, DNS, all brokers down)
        Timeout,     // the request ran past its deadline
        Authentication,
        Authorization, // the broker refused: not authorised
        UnknownTopic,
        InvalidRequest, // our input was wrong (bad name, bad config value)
        Broker,         // any other error the broker returned, message verbatim
        Cancelled,      // disconnected while the request ran
        Internal,
    };
    Kind kind = Kind::None;
    QString message; // for a human, never holds a secret
    bool retriable = false;

    bool isError() const { return kind != Kind::None; }
    static ClientError none() { return {}; }
};

// A request's outcome: the value when error.isError() is false.
template <typename T>
struct Result
{
    T value{};
    ClientError error;
    bool ok() const { return !error.isError(); }
};

struct BrokerInfo
{
    int id = -1;
    QString host;
    int port = 0;
    QString rack;
    bool controller = false;
    QString address() const { return host + QLatin1Char(':') + QString::number(port); }
};

struct PartitionInfo
{
    int id = 0;
    int leader = -1; // -1: no leader (offline)
    QList<int> replicas;
    QList<int> isr;
    QString error; // empty when healthy
    bool underReplicated() const { return isr.size() < replicas.size(); }
    bool offline() const { return leader < 0; }
};

struct TopicInfo
{
    QString name;
    bool internal = false;
    QList<PartitionInfo> partitions;
    QString error;
    int replicationFactor() const
    {
        return partitions.isEmpty() ? 0 : int(partitions.first().replicas.size());
    }
    int underReplicatedCount() const;
    int offlineCount() const;
};

struct ClusterMetadata
{
    QString clusterId;
    int controllerId = -1;
    int originBrokerId = -1;
    QList<BrokerInfo> brokers;
    QList<TopicInfo> topics;
    int partitionCount() const;
    int underReplicatedCount() const;
    int offlineCount() const;
};

struct PartitionOffsets
{
    QString topic;
    int partition = 0;
    qint64 start = -1; // log start offset
    qint64 end = -1;   // high watermark
    QString error;     // empty when both are known
    qint64 messages() const { return start >= 0 && end >= start ? end - start : 0; }
};

struct ConfigEntry
{
    enum class Source {
        Unknown,
        DynamicTopic,
        DynamicBroker,
        DynamicDefaultBroker,
        StaticBroker,
        Default
    };
    QString name;
    QString value;
    bool isNull = false; // sensitive or unset values come without one
    Source source = Source::Unknown;
    bool isDefault = false;
    bool readOnly = false;
    bool sensitive = false;
    QString sourceName() const;
};

struct ConfigResource
{
    enum class Type { Topic, Broker };
    Type type = Type::Topic;
    QString name; // the topic name or the broker id
    QList<ConfigEntry> entries;
    // The entries AlterConfigs must send to keep every other dynamic setting.
    QMap<QString, QString> dynamicValues() const;
    using Source = ConfigEntry::Source;
};

struct NewTopic
{
    QString name;
    int partitions = 1;
    int replicationFactor = 1;
    QMap<QString, QString> configs;
};

// Per-item outcome of an admin request over several topics or partitions.
struct ItemResult
{
    QString name;
    ClientError error;
};

// Kafka's own topic-name rule: 1-249 characters of [a-zA-Z0-9._-], not "." or "..".
// Returns an empty string when valid, otherwise why not.
QString topicNameProblem(const QString &name);

} // namespace periscope::client

namespace periscope::jobs {

// A request whose job threw answers with an error, not with an empty success.
template <typename T>
struct FailedAnswer<client::Result<T>>
{
    static client::Result<T> make(const QString &what)
    {
        client::Result<T> r;
        r.error = {client::ClientError::Kind::Internal,
                   what.isEmpty() ? QStringLiteral("internal error") : what, false};
        return r;
    }
};

} // namespace periscope::jobs

Q_DECLARE_METATYPE(periscope::client::ClusterMetadata)
Q_DECLARE_METATYPE(periscope::client::ClientError)
