#include "browser/messagesort.h"

#include <algorithm>
#include <string_view>

namespace periscope::models {

namespace {

using client::MessageRecord;

// Rows are sorted in runs of this many, then the runs merged pairwise: each step is short,
// so a cancel is seen within a few milliseconds and progress moves steadily.
constexpr std::size_t kRun = 1 << 16;

// Null sorts before empty, empty before everything else.
std::pair<int, std::string_view> bytesKey(const MessageRows::Ref &ref, bool value)
{
    const MessageRecord &r = ref.record();
    const qint32 length = value ? r.valueLength : r.keyLength;
    if (length < 0)
        return {0, {}};
    const qint32 offset = value ? r.valueOffset : r.keyOffset;
    return {1, std::string_view(ref.batch->arena().constData() + offset, std::size_t(length))};
}

template <typename Key, typename Extract>
std::vector<int> sortedOrder(int count, Extract key, bool descending, const jobs::JobToken *token,
                             jobs::ProgressReporter *progress)
{
    const auto cancelled = [token] { return token && token->cancelled(); };
    // Reading the keys, sorting the runs and merging them each count for a share of the work.
    const qint64 total = 3 * qint64(count);
    const auto report = [progress, total](qint64 done) {
        if (progress)
            progress->report(done, total);
    };
    std::vector<std::pair<Key, int>> items;
    items.reserve(std::size_t(count));
    for (int row = 0; row < count; ++row) {
        items.emplace_back(key(row), row);
        if (row % int(kRun) == 0) {
            if (cancelled())
                return {};
            report(row);
        }
    }
    const auto less = [descending](const auto &a, const auto &b) {
        return descending ? b.first < a.first : a.first < b.first;
    };
    const std::size_t n = items.size();
    for (std::size_t from = 0; from < n; from += kRun) {
        std::stable_sort(items.begin() + qsizetype(from),
                         items.begin() + qsizetype(std::min(n, from + kRun)), less);
        if (cancelled())
            return {};
        report(count + qint64(from));
    }
    // inplace_merge keeps equal keys of the left run first: the whole stays stable.
    for (std::size_t width = kRun; width < n; width *= 2) {
        for (std::size_t from = 0; from + width < n; from += 2 * width) {
            std::inplace_merge(items.begin() + qsizetype(from),
                               items.begin() + qsizetype(from + width),
                               items.begin() + qsizetype(std::min(n, from + 2 * width)), less);
            if (cancelled())
                return {};
        }
        report(2 * qint64(count) + qint64(count) * qint64(width) / qint64(n));
    }
    std::vector<int> order(n);
    std::transform(items.cbegin(), items.cend(), order.begin(),
                   [](const auto &i) { return i.second; });
    if (progress)
        progress->report(total, total, true);
    return order;
}

} // namespace

std::vector<int> sortMessageRows(const MessageRows &rows, int column, Qt::SortOrder order,
                                 const jobs::JobToken *token, jobs::ProgressReporter *progress)
{
    const int count = rows.size();
    const bool descending = order == Qt::DescendingOrder;
    const auto number = [&rows](qint64 (*get)(const MessageRecord &)) {
        return [&rows, get](int arrival) { return get(rows.atArrival(arrival).record()); };
    };
    switch (column) {
    case MessageModel::Partition:
        return sortedOrder<qint64>(
            count, number([](const MessageRecord &r) { return qint64(r.partition); }), descending,
            token, progress);
    case MessageModel::Offset:
        return sortedOrder<qint64>(count, number([](const MessageRecord &r) { return r.offset; }),
                                   descending, token, progress);
    case MessageModel::Timestamp:
        return sortedOrder<qint64>(count,
                                   number([](const MessageRecord &r) { return r.timestamp; }),
                                   descending, token, progress);
    case MessageModel::Headers:
        return sortedOrder<qint64>(
            count, number([](const MessageRecord &r) { return qint64(r.headerCount); }), descending,
            token, progress);
    case MessageModel::Size:
        return sortedOrder<qint64>(count, number(&MessageModel::messageSize), descending, token,
                                   progress);
    case MessageModel::Key:
    case MessageModel::Value:
        return sortedOrder<std::pair<int, std::string_view>>(
            count,
            [&rows, column](int arrival) {
                return bytesKey(rows.atArrival(arrival), column == MessageModel::Value);
            },
            descending, token, progress);
    default:
        return {}; // arrival order
    }
}

} // namespace periscope::models
