#pragma once

// The blocking half of a BrowseSession: runs as a job and reports to the session through
// its mailbox, which closes when the session cancels or goes.

#include "browsesession.h"
#include "jobs/jobtoken.h"

namespace periscope::client {

struct BrowseOutbox
{
    jobs::MailboxPtr mailbox;
    BrowseSession *session = nullptr; // reached only through the mailbox
};

void runBrowse(const jobs::JobToken &token, const BrowseOutbox &outbox,
               const QMap<QString, QString> &properties, const BrowseRequest &request);

} // namespace periscope::client
