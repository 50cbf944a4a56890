#pragma once

#include "types.h"

namespace periscope::client {

// A librdkafka or broker error code as a typed error; `context` is what was asked
// ("topic payments"), `detail` librdkafka's own text when it has one.
ClientError toClientError(int code, const QString &detail = {});

// Turns librdkafka's connect failure text ("127.0.0.1:9999/bootstrap: Connect to
// ipv4#127.0.0.1:9999 failed: Connection refused (after 0ms in state CONNECT)") into
// "broker 127.0.0.1:9999: connection refused". Other texts come back unchanged.
QString humanTransportError(const QString &librdkafkaText);

// The texts several requests share, translated.
QString authenticationFailed(const QString &why);
QString noResult(); // "the broker sent no result"

// A string librdkafka hands out, which may be null: empty then.
inline QString fromC(const char *s)
{
    return s ? QString::fromUtf8(s) : QString();
}

} // namespace periscope::client
