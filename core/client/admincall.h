#pragma once

#include "kafkaapi.h"
#include "types.h"

namespace periscope::client {

// One admin request on its own reply queue. Blocks in wait(): only ever used on the
// client's worker threads.
class AdminCall final
{
public:
    AdminCall(rd_kafka_t *rk, rd_kafka_admin_op_t op, int timeoutMs);
    ~AdminCall();
    AdminCall(const AdminCall &) = delete;
    AdminCall &operator=(const AdminCall &) = delete;

    rd_kafka_AdminOptions_t *options() const { return m_options; }
    rd_kafka_queue_t *queue() const { return m_queue; }
    // The result event, or null with *error set (time-out, request-level error).
    rd_kafka_event_t *wait(ClientError *error);

private:
    rd_kafka_queue_t *m_queue;
    rd_kafka_AdminOptions_t *m_options;
    rd_kafka_event_t *m_event = nullptr;
    int m_timeoutMs;
};

} // namespace periscope::client
