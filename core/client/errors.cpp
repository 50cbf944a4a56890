#include "errors.h"

#include "kafkaapi.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace periscope::client {

namespace {

ClientError::Kind kindOf(rd_kafka_resp_err_t err)
{
    using K = ClientError::Kind;
    switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
        return K::None;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR__DESTROY:
        return K::Unreachable;
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
        return K::Timeout;
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR_UNSUPPORTED_SASL_MECHANISM:
    case RD_KAFKA_RESP_ERR__SSL:
        return K::Authentication;
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_DELEGATION_TOKEN_AUTHORIZATION_FAILED:
        return K::Authorization;
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
        return K::UnknownTopic;
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
    case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
    case RD_KAFKA_RESP_ERR_INVALID_REQUEST:
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
        return K::InvalidRequest;
    default:
        return K::Broker;
    }
}

QString defaultText(ClientError::Kind kind, rd_kafka_resp_err_t err)
{
    using K = ClientError::Kind;
    switch (kind) {
    case K::UnknownTopic:
        return QCoreApplication::translate("periscope::client", "topic does not exist");
    case K::Authorization:
        return QCoreApplication::translate("periscope::client", "not authorised");
    case K::Timeout:
        return QCoreApplication::translate("periscope::client", "the request timed out");
    default:
        return QString::fromUtf8(rd_kafka_err2str(err));
    }
}

} // namespace

ClientError toClientError(int code, const QString &detail)
{
    const auto err = static_cast<rd_kafka_resp_err_t>(code);
    ClientError e;
    e.kind = kindOf(err);
    if (e.kind == ClientError::Kind::None)
        return e;
    QString text = defaultText(e.kind, err);
    // Keep librdkafka's or the broker's own words when they say more than the code does.
    if (!detail.isEmpty() && detail != QString::fromUtf8(rd_kafka_err2str(err)))
        text = e.kind == ClientError::Kind::Authentication
                   ? authenticationFailed(humanTransportError(detail))
                   : humanTransportError(detail);
    else if (e.kind == ClientError::Kind::Authentication)
        text = authenticationFailed(text);
    e.message = text;
    e.retriable = e.kind == ClientError::Kind::Unreachable || e.kind == ClientError::Kind::Timeout;
    return e;
}

QString authenticationFailed(const QString &why)
{
    return QCoreApplication::translate("periscope::client", "authentication failed: %1").arg(why);
}

QString noResult()
{
    return QCoreApplication::translate("periscope::client", "the broker sent no result");
}

QString humanTransportError(const QString &librdkafkaText)
{
    // Log lines start with the thread that wrote them ("[thrd:main]: "); errors do not.
    static const QRegularExpression thread(QStringLiteral("^\\[thrd:[^\\]]*\\]:\\s*"));
    static const QRegularExpression connect(
        QStringLiteral("^([^/\\s]+)/[^:]*: Connect to \\S+ failed: ([^(]+?)\\s*(\\(after.*)?$"));
    static const QRegularExpression prefixed(QStringLiteral("^([^/\\s]+)/[^:]*: (.*)$"));
    QString text = librdkafkaText;
    text.remove(thread);
    const auto m = connect.match(text);
    if (m.hasMatch()) {
        QString reason = m.captured(2);
        if (!reason.isEmpty())
            reason[0] = reason[0].toLower();
        return QCoreApplication::translate("periscope::client", "broker %1: %2")
            .arg(m.captured(1), reason);
    }
    const auto p = prefixed.match(text);
    if (p.hasMatch())
        return QCoreApplication::translate("periscope::client", "broker %1: %2")
            .arg(p.captured(1), p.captured(2));
    return text;
}

} // namespace periscope::client
