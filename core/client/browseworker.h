#pragma once

// The blocking half of a BrowseSession: runs on its own thread and reports through a
// channel that outlives neither side's needs.

#include "browsesession.h"

#include <atomic>
#include <functional>
#include <mutex>

namespace periscope::client {

struct BrowseChannel
{
    std::atomic<bool> cancelled{false};
    std::atomic<bool> brokersDown{false};
    std::atomic<bool> topicGone{false};
    std::mutex mutex;
    BrowseSession *owner = nullptr; // null once the session is gone
    QString lastTransportError;

    // Runs `call` on the owner's thread, if the owner is still there when it gets to it.
    void post(std::function<void(BrowseSession *)> call);
};

void runBrowse(const std::shared_ptr<BrowseChannel> &channel,
               const QMap<QString, QString> &properties, const BrowseRequest &request);

} // namespace periscope::client
