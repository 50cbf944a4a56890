#include "admincall.h"

#include "errors.h"
#include "jobs/jobtoken.h"

#include <QDeadlineTimer>

namespace periscope::client {

AdminCall::AdminCall(rd_kafka_t *rk, rd_kafka_admin_op_t op, int timeoutMs)
    : m_queue(rd_kafka_queue_new(rk))
    , m_options(rd_kafka_AdminOptions_new(rk, op))
    , m_timeoutMs(timeoutMs)
{
    char err[256];
    rd_kafka_AdminOptions_set_request_timeout(m_options, timeoutMs, err, sizeof err);
    // Topic creation and deletion wait for the controller to finish, within the same budget.
    if (op == RD_KAFKA_ADMIN_OP_CREATETOPICS || op == RD_KAFKA_ADMIN_OP_DELETETOPICS ||
        op == RD_KAFKA_ADMIN_OP_CREATEPARTITIONS || op == RD_KAFKA_ADMIN_OP_DELETERECORDS)
        rd_kafka_AdminOptions_set_operation_timeout(m_options, timeoutMs, err, sizeof err);
}

AdminCall::~AdminCall()
{
    if (m_event)
        rd_kafka_event_destroy(m_event);
    rd_kafka_AdminOptions_destroy(m_options);
    rd_kafka_queue_destroy(m_queue);
}

rd_kafka_event_t *AdminCall::wait(ClientError *error)
{
    // librdkafka answers every admin request by its own deadline; the margin only guards
    // against a result that never comes. Waited for in slices, so that a cancelled job (a
    // closed connection, the console quitting) stops waiting at once.
    const QDeadlineTimer deadline(m_timeoutMs + 2000);
    while (!m_event && !deadline.hasExpired() && !jobs::JobToken::currentCancelled())
        m_event =
            rd_kafka_queue_poll(m_queue, int(std::min<qint64>(deadline.remainingTime(), 100)));
    if (!m_event) {
        *error = jobs::JobToken::currentCancelled()
                     ? ClientError{ClientError::Kind::Cancelled, QStringLiteral("cancelled"), false}
                     : toClientError(RD_KAFKA_RESP_ERR__TIMED_OUT);
        return nullptr;
    }
    if (const rd_kafka_resp_err_t err = rd_kafka_event_error(m_event)) {
        const char *text = rd_kafka_event_error_string(m_event);
        *error = toClientError(err, text ? QString::fromUtf8(text) : QString());
        return nullptr;
    }
    return m_event;
}

} // namespace periscope::client
