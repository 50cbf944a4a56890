#include "clusterclient.h"

#include "errors.h"
#include "grouprequests.h"
#include "kafkaapi.h"
#include "logging/redact.h"
#include "requests.h"

#include <chrono>
#include <spdlog/spdlog.h>

namespace periscope::client {

void ClusterClient::Relay::onHandleEvent(const HandleEvent &event)
{
    // Runs on librdkafka's threads: log, remember, hand off; nothing else.
    const std::string text = logging::redactSecrets(event.text).toStdString();
    if (event.kind == HandleEvent::Kind::Log && event.facility == QLatin1String("FAIL")) {
        // A connection failure is logged at once; the error callback only comes when the
        // handle is polled. Take the reason from here.
        spdlog::warn("librdkafka: {}", text);
        std::lock_guard lock(mutex);
        const QString human = humanTransportError(logging::redactSecrets(event.text));
        if (event.text.contains(QLatin1String("SASL")) ||
            event.text.contains(QLatin1String("SSL handshake")))
            lastAuthError = human;
        else
            lastTransportError = human;
        return;
    }
    if (event.kind == HandleEvent::Kind::Log) {
        if (event.code <= 3)
            spdlog::error("librdkafka: {}", text);
        else if (event.code <= 4)
            spdlog::warn("librdkafka: {}", text);
        else
            spdlog::debug("librdkafka: {}", text);
        return;
    }
    spdlog::warn("librdkafka: {}", text);
    std::lock_guard lock(mutex);
    const QString human = humanTransportError(logging::redactSecrets(event.text));
    if (event.code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
        event.code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED)
        lastAuthError = human;
    else if (event.code == RD_KAFKA_RESP_ERR__TRANSPORT || event.code == RD_KAFKA_RESP_ERR__RESOLVE)
        lastTransportError = human;
    if (mailbox)
        // Runs on the client's thread, and only while the client lives: the mailbox is its.
        mailbox->post([c = client, code = event.code, human] { c->onTransportEvent(code, human); });
}

ClientError ClusterClient::Relay::refine(ClientError error, const jobs::JobToken &token)
{
    // A request that timed out while no broker could be reached says why.
    if (error.kind != ClientError::Kind::Timeout && error.kind != ClientError::Kind::Unreachable)
        return error;
    // A fast failure can overtake librdkafka's own report of the reason; give it a moment
    // (this is a worker thread).
    for (int i = 0; i < 25 && error.kind == ClientError::Kind::Unreachable; ++i) {
        {
            std::lock_guard lock(mutex);
            if (!lastTransportError.isEmpty() || !lastAuthError.isEmpty())
                break;
        }
        if (!token.sleepFor(20))
            break;
    }
    std::lock_guard lock(mutex);
    if (!lastAuthError.isEmpty()) {
        error.kind = ClientError::Kind::Authentication;
        error.message = authenticationFailed(lastAuthError);
        error.retriable = false;
    } else if (!lastTransportError.isEmpty()) {
        error.kind = ClientError::Kind::Unreachable;
        error.message = lastTransportError;
    }
    return error;
}

void ClusterClient::Relay::report(const ClientError &error)
{
    std::lock_guard lock(mutex);
    if (error.kind == ClientError::Kind::None) {
        lastTransportError.clear();
        lastAuthError.clear();
    }
    if (mailbox)
        mailbox->post([c = client, error] { c->onOutcome(error); });
}

void ClusterClient::HandleCell::set(KafkaPtr h, const QString &why)
{
    const std::lock_guard lock(mutex);
    handle = std::move(h);
    error = why;
    ready = true;
    made.notify_all();
}

KafkaPtr ClusterClient::HandleCell::wait(const jobs::JobToken &token, ClientError *why)
{
    std::unique_lock lock(mutex);
    // Made within moments, unless loading the library or reading certificates is slow; a
    // cancel ends the wait at once.
    while (!ready && !token.cancelled())
        made.wait_for(lock, std::chrono::milliseconds(100));
    if (token.cancelled()) {
        *why = {ClientError::Kind::Cancelled, tr("disconnected"), false};
        return {};
    }
    if (!handle)
        *why = {ClientError::Kind::InvalidRequest, error, false};
    return handle;
}

ClusterClient::ClusterClient(ConnectionSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_requests(m_settings.name + QStringLiteral(" requests"), kRequestThreads)
    , m_streams(m_settings.name + QStringLiteral(" sending"), kStreamThreads)
    , m_browsing(m_settings.name + QStringLiteral(" browsing"), kBrowseThreads)
{
    m_probe.setInterval(m_settings.probeIntervalMs);
    connect(&m_probe, &QTimer::timeout, this, &ClusterClient::probe);
}

ClusterClient::~ClusterClient()
{
    close();
}

void ClusterClient::open()
{
    close();
    m_relay = std::make_shared<Relay>();
    m_relay->mailbox = jobs::Mailbox::create(this);
    m_relay->client = this;
    m_cell = std::make_shared<HandleCell>();
    setState(State::Connecting,
             tr("connecting to %1")
                 .arg(m_settings.properties.value(QStringLiteral("bootstrap.servers"))));
    std::weak_ptr<Relay> weak = m_relay;
    // rd_kafka_new() reads certificate files and may wait for the library to load: a job.
    m_requests
        .submit(
            [cell = m_cell, weak, properties = m_settings.properties](const jobs::JobToken &token) {
                QString why;
                if (token.cancelled()) {
                    cell->set({}, tr("disconnected"));
                    return why;
                }
                KafkaPtr handle = makeHandle(
                    HandleType::Producer, properties,
                    [weak](const HandleEvent &e) {
                        if (auto relay = weak.lock())
                            relay->onHandleEvent(e);
                    },
                    &why);
                cell->set(handle, why);
                return why;
            })
        .then(this, [this](const QString &why) {
            if (!why.isEmpty()) {
                const QString text = tr("cannot connect: %1").arg(why);
                close();
                setState(State::Disconnected, text);
                Q_EMIT openFailed(text);
                return;
            }
            probe();
            m_probe.start();
        });
}

void ClusterClient::close()
{
    m_probe.stop();
    m_probing = false;
    m_requests.cancelAll();
    m_streams.cancelAll();
    m_browsing.cancelAll();
    if (m_relay && m_relay->mailbox)
        m_relay->mailbox->close();
    m_relay.reset();
    m_cell.reset(); // the handle goes off this thread once running jobs let go
    if (m_state != State::Disconnected)
        setState(State::Disconnected, tr("disconnected"));
}

QString ClusterClient::notConnectedText() const
{
    return tr("not connected to %1").arg(m_settings.name);
}

QString ClusterClient::stateName(State state)
{
    switch (state) {
    case State::Disconnected:
        return tr("Disconnected");
    case State::Connecting:
        return tr("Connecting");
    case State::Connected:
        return tr("Connected");
    case State::BrokerDown:
        return tr("Broker down");
    case State::AuthFailed:
        return tr("Authentication failed");
    }
    return {};
}

QString ClusterClient::librdkafkaVersion()
{
    if (QString why; !kafkalibrary::load(&why))
        return tr("not loaded (%1)").arg(why);
    return QString::fromUtf8(rd_kafka_version_str());
}

void ClusterClient::setState(State state, const QString &message)
{
    if (state == m_state && message == m_stateMessage)
        return;
    m_state = state;
    m_stateMessage = message;
    Q_EMIT stateChanged(state, message);
}

void ClusterClient::onOutcome(const ClientError &error)
{
    using K = ClientError::Kind;
    switch (error.kind) {
    case K::None:
        setState(State::Connected, tr("connected"));
        return;
    case K::Unreachable:
        setState(State::BrokerDown, error.message);
        break;
    case K::Authentication:
        setState(State::AuthFailed, error.message);
        break;
    case K::Timeout:
        if (m_state == State::Connecting)
            setState(State::BrokerDown, error.message);
        break;
    default:
        break;
    }
    Q_EMIT requestFailed(error);
}

void ClusterClient::onTransportEvent(int code, const QString &text)
{
    if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION ||
        code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED)
        setState(State::AuthFailed, authenticationFailed(text));
    else if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN && m_state != State::AuthFailed)
        setState(State::BrokerDown, text);
    else if (code == RD_KAFKA_RESP_ERR__RESOLVE && m_state == State::Connecting)
        setState(State::BrokerDown, text);
}

void ClusterClient::probe()
{
    if (m_probing || !m_cell)
        return;
    m_probing = true;
    const int timeout = std::min(m_settings.requestTimeoutMs, m_settings.probeIntervalMs * 2);
    run<ClusterMetadata>([timeout](rd_kafka_s *rk, int) {
        return fetchMetadata(rk, false, timeout);
    }).then(this, [this](const Result<ClusterMetadata> &) { m_probing = false; });
}

Pending<Result<ClusterMetadata>> ClusterClient::metadata()
{
    return run<ClusterMetadata>(
        [](rd_kafka_s *rk, int timeout) { return fetchMetadata(rk, true, timeout); });
}

Pending<Result<QList<PartitionOffsets>>>
ClusterClient::offsets(const QMap<QString, int> &topicPartitions)
{
    return run<QList<PartitionOffsets>>([topicPartitions](rd_kafka_s *rk, int timeout) {
        return fetchOffsets(rk, topicPartitions, timeout);
    });
}

Pending<Result<ConfigResource>> ClusterClient::describeConfigs(ConfigResource::Type type,
                                                               const QString &name)
{
    return run<ConfigResource>([type, name](rd_kafka_s *rk, int timeout) {
        return client::describeConfigs(rk, type, name, timeout);
    });
}

Pending<Result<ItemResult>> ClusterClient::alterConfigs(ConfigResource::Type type,
                                                        const QString &name,
                                                        const QMap<QString, QString> &set,
                                                        const QStringList &reset)
{
    return run<ItemResult>([=](rd_kafka_s *rk, int timeout) {
        // Read the current dynamic set on the same worker, then send it back changed.
        Result<ConfigResource> current = client::describeConfigs(rk, type, name, timeout);
        if (!current.ok())
            return Result<ItemResult>{{name, current.error}, current.error};
        QMap<QString, QString> values = current.value.dynamicValues();
        for (const QString &key : reset)
            values.remove(key);
        for (auto it = set.cbegin(); it != set.cend(); ++it)
            values.insert(it.key(), it.value());
        return client::alterConfigs(rk, type, name, values, timeout);
    });
}

Pending<Result<QList<ItemResult>>> ClusterClient::createTopics(const QList<NewTopic> &topics,
                                                               bool validateOnly)
{
    return run<QList<ItemResult>>([topics, validateOnly](rd_kafka_s *rk, int timeout) {
        return client::createTopics(rk, topics, validateOnly, timeout);
    });
}

Pending<Result<QList<ItemResult>>> ClusterClient::deleteTopics(const QStringList &names)
{
    return run<QList<ItemResult>>(
        [names](rd_kafka_s *rk, int timeout) { return client::deleteTopics(rk, names, timeout); });
}

Pending<Result<ItemResult>> ClusterClient::createPartitions(const QString &topic, int newTotal)
{
    return run<ItemResult>([topic, newTotal](rd_kafka_s *rk, int timeout) {
        return client::createPartitions(rk, topic, newTotal, timeout);
    });
}

Pending<Result<QList<PartitionOffsets>>>
ClusterClient::deleteRecords(const QString &topic, const QMap<int, qint64> &before)
{
    return run<QList<PartitionOffsets>>([topic, before](rd_kafka_s *rk, int timeout) {
        return client::deleteRecords(rk, topic, before, timeout);
    });
}

Pending<Result<QList<PartitionOffsets>>> ClusterClient::purge(const QString &topic, int partitions)
{
    QMap<int, qint64> all;
    for (int p = 0; p < partitions; ++p)
        all.insert(p, RD_KAFKA_OFFSET_END);
    return deleteRecords(topic, all);
}

Pending<Result<QList<GroupListing>>> ClusterClient::listGroups()
{
    return run<QList<GroupListing>>(
        [](rd_kafka_s *rk, int timeout) { return client::listGroups(rk, timeout); });
}

Pending<Result<QList<GroupDescription>>> ClusterClient::describeGroups(const QStringList &ids)
{
    return run<QList<GroupDescription>>(
        [ids](rd_kafka_s *rk, int timeout) { return client::describeGroups(rk, ids, timeout); });
}

Pending<Result<QList<GroupOffset>>> ClusterClient::groupOffsets(const QString &group)
{
    return run<QList<GroupOffset>>(
        [group](rd_kafka_s *rk, int timeout) { return client::groupOffsets(rk, group, timeout); });
}

Pending<Result<QList<GroupOffset>>>
ClusterClient::alterGroupOffsets(const QString &group, const QList<GroupOffset> &offsets)
{
    return run<QList<GroupOffset>>([group, offsets](rd_kafka_s *rk, int timeout) {
        return client::alterGroupOffsets(rk, group, offsets, timeout);
    });
}

Pending<Result<ItemResult>> ClusterClient::deleteGroup(const QString &id)
{
    return run<ItemResult>(
        [id](rd_kafka_s *rk, int timeout) { return client::deleteGroup(rk, id, timeout); });
}

Pending<Result<QList<GroupOffset>>> ClusterClient::deleteGroupOffsets(const QString &group,
                                                                      const QString &topic,
                                                                      const QList<int> &partitions)
{
    return run<QList<GroupOffset>>([group, topic, partitions](rd_kafka_s *rk, int timeout) {
        return client::deleteGroupOffsets(rk, group, topic, partitions, timeout);
    });
}

Pending<Result<GroupsSample>> ClusterClient::sampleGroups()
{
    return run<GroupsSample>(
        [](rd_kafka_s *rk, int timeout) { return client::sampleGroups(rk, timeout); });
}

Pending<Result<QList<GroupOffset>>>
ClusterClient::offsetsAtTime(const QMap<QString, QList<int>> &partitions, qint64 msSinceEpoch)
{
    return run<QList<GroupOffset>>([partitions, msSinceEpoch](rd_kafka_s *rk, int timeout) {
        return client::offsetsAtTime(rk, partitions, msSinceEpoch, timeout);
    });
}

} // namespace periscope::client
