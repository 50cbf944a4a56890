#include "grouprequests.h"

#include "admincall.h"
#include "errors.h"
#include "jobs/jobtoken.h"

#include <QDeadlineTimer>
#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace periscope::client {

namespace {

ClientError errorOf(const rd_kafka_error_t *e)
{
    if (!e)
        return {};
    return toClientError(rd_kafka_error_code(e), fromC(rd_kafka_error_string(e)));
}

QString stateName(rd_kafka_consumer_group_state_t state)
{
    return fromC(rd_kafka_consumer_group_state_name(state));
}

QList<GroupOffset> toOffsets(const rd_kafka_topic_partition_list_t *list)
{
    QList<GroupOffset> out;
    out.reserve(list ? list->cnt : 0);
    // A group's partitions come topic by topic: one shared string per topic instead of one
    // per partition keeps 100,000 offsets cheap to build and to free.
    const char *lastTopic = nullptr;
    QString topic;
    for (int i = 0; list && i < list->cnt; ++i) {
        const rd_kafka_topic_partition_t &e = list->elems[i];
        if (!lastTopic || !e.topic || std::strcmp(lastTopic, e.topic) != 0) {
            lastTopic = e.topic;
            topic = fromC(e.topic);
        }
        GroupOffset o;
        o.topic = topic;
        o.partition = e.partition;
        o.offset = e.offset;
        if (e.metadata && e.metadata_size > 0)
            o.metadata = QString::fromUtf8(static_cast<const char *>(e.metadata),
                                           qsizetype(e.metadata_size));
        if (e.err)
            o.error = toClientError(e.err).message;
        out.append(std::move(o));
    }
    return out;
}

// The partitions of a one-group offsets result; the group's own error is the request's.
Result<QList<GroupOffset>> oneGroup(const rd_kafka_group_result_t **groups, size_t n)
{
    Result<QList<GroupOffset>> out;
    if (n != 1) {
        out.error = {ClientError::Kind::Internal, noResult(), false};
        return out;
    }
    out.error = errorOf(rd_kafka_group_result_error(groups[0]));
    out.value = toOffsets(rd_kafka_group_result_partitions(groups[0]));
    return out;
}

} // namespace

Result<QList<GroupListing>> listGroups(rd_kafka_s *rk, int timeoutMs)
{
    Result<QList<GroupListing>> out;
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPS, timeoutMs);
    rd_kafka_ListConsumerGroups(rk, call.options(), call.queue());
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    const rd_kafka_ListConsumerGroups_result_t *result =
        rd_kafka_event_ListConsumerGroups_result(ev);
    size_t n = 0;
    const rd_kafka_ConsumerGroupListing_t **groups =
        rd_kafka_ListConsumerGroups_result_valid(result, &n);
    out.value.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i)
        out.value.append({fromC(rd_kafka_ConsumerGroupListing_group_id(groups[i])),
                          stateName(rd_kafka_ConsumerGroupListing_state(groups[i])),
                          rd_kafka_ConsumerGroupListing_is_simple_consumer_group(groups[i]) != 0});
    size_t failed = 0;
    const rd_kafka_error_t **errors = rd_kafka_ListConsumerGroups_result_errors(result, &failed);
    if (failed > 0)
        out.error = errorOf(errors[0]);
    return out;
}

Result<QList<GroupDescription>> describeGroups(rd_kafka_s *rk, const QStringList &ids,
                                               int timeoutMs)
{
    Result<QList<GroupDescription>> out;
    if (ids.isEmpty())
        return out;
    std::vector<QByteArray> names;
    std::vector<const char *> pointers;
    names.reserve(size_t(ids.size()));
    for (const QString &id : ids) {
        names.push_back(id.toUtf8());
        pointers.push_back(names.back().constData());
    }
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONSUMERGROUPS, timeoutMs);
    rd_kafka_DescribeConsumerGroups(rk, pointers.data(), pointers.size(), call.options(),
                                    call.queue());
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    size_t n = 0;
    const rd_kafka_ConsumerGroupDescription_t **groups =
        rd_kafka_DescribeConsumerGroups_result_groups(
            rd_kafka_event_DescribeConsumerGroups_result(ev), &n);
    out.value.reserve(qsizetype(n));
    for (size_t i = 0; i < n; ++i) {
        const rd_kafka_ConsumerGroupDescription_t *g = groups[i];
        GroupDescription d;
        d.id = fromC(rd_kafka_ConsumerGroupDescription_group_id(g));
        d.state = stateName(rd_kafka_ConsumerGroupDescription_state(g));
        d.assignor = fromC(rd_kafka_ConsumerGroupDescription_partition_assignor(g));
        if (const rd_kafka_Node_t *node = rd_kafka_ConsumerGroupDescription_coordinator(g))
            d.coordinator = rd_kafka_Node_id(node);
        if (const rd_kafka_error_t *e = rd_kafka_ConsumerGroupDescription_error(g))
            d.error = errorOf(e).message;
        const size_t members = rd_kafka_ConsumerGroupDescription_member_count(g);
        for (size_t m = 0; m < members; ++m) {
            const rd_kafka_MemberDescription_t *md = rd_kafka_ConsumerGroupDescription_member(g, m);
            GroupMember member;
            member.memberId = fromC(rd_kafka_MemberDescription_consumer_id(md));
            member.clientId = fromC(rd_kafka_MemberDescription_client_id(md));
            member.host = fromC(rd_kafka_MemberDescription_host(md));
            const rd_kafka_MemberAssignment_t *a = rd_kafka_MemberDescription_assignment(md);
            const rd_kafka_topic_partition_list_t *parts =
                a ? rd_kafka_MemberAssignment_partitions(a) : nullptr;
            for (int p = 0; parts && p < parts->cnt; ++p)
                member.assignment.append({fromC(parts->elems[p].topic), parts->elems[p].partition});
            d.members.append(std::move(member));
        }
        out.value.append(std::move(d));
    }
    return out;
}

Result<QList<GroupOffset>> groupOffsets(rd_kafka_s *rk, const QString &group, int timeoutMs)
{
    Result<QList<GroupOffset>> out;
    // No partitions: the broker answers with every one the group has committed.
    rd_kafka_ListConsumerGroupOffsets_t *request =
        rd_kafka_ListConsumerGroupOffsets_new(group.toUtf8().constData(), nullptr);
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS, timeoutMs);
    rd_kafka_ListConsumerGroupOffsets(rk, &request, 1, call.options(), call.queue());
    rd_kafka_ListConsumerGroupOffsets_destroy(request);
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    size_t n = 0;
    const rd_kafka_group_result_t **groups = rd_kafka_ListConsumerGroupOffsets_result_groups(
        rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
    return oneGroup(groups, n);
}

QList<Result<QList<GroupOffset>>> manyGroupOffsets(rd_kafka_s *rk, const QStringList &groups,
                                                   int timeoutMs)
{
    // Enough in flight to keep every coordinator busy without queueing thousands of
    // requests inside librdkafka at once.
    constexpr qsizetype kInFlight = 64;
    QList<Result<QList<GroupOffset>>> out(groups.size());
    std::vector<bool> answered(size_t(groups.size()), false);
    rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
    rd_kafka_AdminOptions_t *options =
        rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS);
    char err[256];
    rd_kafka_AdminOptions_set_request_timeout(options, timeoutMs, err, sizeof err);
    qsizetype issued = 0;
    qsizetype done = 0;
    // Each request has its own time-out, but a coordinator that never answers would make
    // every round wait for it: the whole read gets a budget of a few time-outs.
    QDeadlineTimer deadline(4LL * timeoutMs);
    while (done < groups.size() && !deadline.hasExpired()) {
        for (; issued < groups.size() && issued - done < kInFlight; ++issued) {
            // librdkafka copies the options into each request, opaque included.
            rd_kafka_AdminOptions_set_opaque(options, reinterpret_cast<void *>(issued));
            rd_kafka_ListConsumerGroupOffsets_t *request =
                rd_kafka_ListConsumerGroupOffsets_new(groups[issued].toUtf8().constData(), nullptr);
            rd_kafka_ListConsumerGroupOffsets(rk, &request, 1, options, queue);
            rd_kafka_ListConsumerGroupOffsets_destroy(request);
        }
        // Each request ends by its own deadline; silence beyond that means none will come.
        // Polled in slices so that a cancelled job stops at once.
        QDeadlineTimer silence(std::min<qint64>(timeoutMs + 2000, deadline.remainingTime()));
        rd_kafka_event_t *ev = nullptr;
        while (!ev && !silence.hasExpired() && !jobs::JobToken::currentCancelled())
            ev = rd_kafka_queue_poll(queue, int(std::min<qint64>(silence.remainingTime(), 100)));
        if (!ev)
            break;
        const auto index = reinterpret_cast<qsizetype>(rd_kafka_event_opaque(ev));
        if (index >= 0 && index < out.size() && !answered[size_t(index)]) {
            answered[size_t(index)] = true;
            Result<QList<GroupOffset>> &r = out[index];
            if (const rd_kafka_resp_err_t e = rd_kafka_event_error(ev)) {
                r.error = toClientError(e, fromC(rd_kafka_event_error_string(ev)));
            } else {
                size_t n = 0;
                const rd_kafka_group_result_t **results =
                    rd_kafka_ListConsumerGroupOffsets_result_groups(
                        rd_kafka_event_ListConsumerGroupOffsets_result(ev), &n);
                r = oneGroup(results, n);
            }
        }
        rd_kafka_event_destroy(ev);
        ++done;
    }
    for (qsizetype i = 0; i < groups.size(); ++i)
        if (!answered[size_t(i)])
            out[i].error = toClientError(RD_KAFKA_RESP_ERR__TIMED_OUT);
    rd_kafka_AdminOptions_destroy(options);
    rd_kafka_queue_destroy(queue);
    return out;
}

Result<QList<GroupOffset>> alterGroupOffsets(rd_kafka_s *rk, const QString &group,
                                             const QList<GroupOffset> &offsets, int timeoutMs)
{
    Result<QList<GroupOffset>> out;
    rd_kafka_topic_partition_list_t *list =
        rd_kafka_topic_partition_list_new(int(std::max<qsizetype>(offsets.size(), 1)));
    for (const GroupOffset &o : offsets) {
        rd_kafka_topic_partition_t *e =
            rd_kafka_topic_partition_list_add(list, o.topic.toUtf8().constData(), o.partition);
        e->offset = o.offset;
        if (!o.metadata.isEmpty()) {
            // The list frees its metadata with free().
            const QByteArray bytes = o.metadata.toUtf8();
            e->metadata = std::malloc(size_t(bytes.size()));
            if (e->metadata) {
                std::memcpy(e->metadata, bytes.constData(), size_t(bytes.size()));
                e->metadata_size = size_t(bytes.size());
            }
        }
    }
    rd_kafka_AlterConsumerGroupOffsets_t *request =
        rd_kafka_AlterConsumerGroupOffsets_new(group.toUtf8().constData(), list);
    rd_kafka_topic_partition_list_destroy(list);
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_ALTERCONSUMERGROUPOFFSETS, timeoutMs);
    rd_kafka_AlterConsumerGroupOffsets(rk, &request, 1, call.options(), call.queue());
    rd_kafka_AlterConsumerGroupOffsets_destroy(request);
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    size_t n = 0;
    const rd_kafka_group_result_t **groups = rd_kafka_AlterConsumerGroupOffsets_result_groups(
        rd_kafka_event_AlterConsumerGroupOffsets_result(ev), &n);
    return oneGroup(groups, n);
}

Result<ItemResult> deleteGroup(rd_kafka_s *rk, const QString &id, int timeoutMs)
{
    Result<ItemResult> out;
    out.value.name = id;
    rd_kafka_DeleteGroup_t *request = rd_kafka_DeleteGroup_new(id.toUtf8().constData());
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_DELETEGROUPS, timeoutMs);
    rd_kafka_DeleteGroups(rk, &request, 1, call.options(), call.queue());
    rd_kafka_DeleteGroup_destroy(request);
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev) {
        out.value.error = out.error;
        return out;
    }
    size_t n = 0;
    const rd_kafka_group_result_t **groups =
        rd_kafka_DeleteGroups_result_groups(rd_kafka_event_DeleteGroups_result(ev), &n);
    if (n == 1)
        out.error = errorOf(rd_kafka_group_result_error(groups[0]));
    else
        out.error = {ClientError::Kind::Internal, noResult(), false};
    out.value.error = out.error;
    return out;
}

Result<QList<GroupOffset>> deleteGroupOffsets(rd_kafka_s *rk, const QString &group,
                                              const QString &topic, const QList<int> &partitions,
                                              int timeoutMs)
{
    Result<QList<GroupOffset>> out;
    const QByteArray name = topic.toUtf8();
    rd_kafka_topic_partition_list_t *list =
        rd_kafka_topic_partition_list_new(int(std::max<qsizetype>(partitions.size(), 1)));
    for (int p : partitions)
        rd_kafka_topic_partition_list_add(list, name.constData(), p);
    rd_kafka_DeleteConsumerGroupOffsets_t *request =
        rd_kafka_DeleteConsumerGroupOffsets_new(group.toUtf8().constData(), list);
    rd_kafka_topic_partition_list_destroy(list);
    AdminCall call(rk, RD_KAFKA_ADMIN_OP_DELETECONSUMERGROUPOFFSETS, timeoutMs);
    rd_kafka_DeleteConsumerGroupOffsets(rk, &request, 1, call.options(), call.queue());
    rd_kafka_DeleteConsumerGroupOffsets_destroy(request);
    rd_kafka_event_t *ev = call.wait(&out.error);
    if (!ev)
        return out;
    size_t n = 0;
    const rd_kafka_group_result_t **groups = rd_kafka_DeleteConsumerGroupOffsets_result_groups(
        rd_kafka_event_DeleteConsumerGroupOffsets_result(ev), &n);
    return oneGroup(groups, n);
}

} // namespace periscope::client
