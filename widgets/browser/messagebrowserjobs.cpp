// The browser pane's local work, each in a job of the local pool: filtering what was read,
// sorting it by a column, and exporting it to a file.
#include "browser/jsonexpr.h"
#include "browser/messagebrowserpane.h"
#include "browser/messageexport.h"
#include "browser/messagefilter.h"
#include "browser/messagefilterproxy.h"
#include "browser/messagemodel.h"
#include "browser/messagesort.h"
#include "jobs/localpool.h"

#include <QComboBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>

namespace periscope::widgets {

void MessageBrowserPane::setFilterText(const QString &text)
{
    m_filter->setText(text);
    runFilter();
}

bool MessageBrowserPane::buildFilter(models::MessageFilter *filter, QString *error) const
{
    const int mode = m_filterMode->currentData().toInt();
    if (mode == kExpressionMode) {
        if (m_filter->text().trimmed().isEmpty())
            return true;
        filter->expression = models::JsonExpr::parse(m_filter->text(), error);
        return filter->expression != nullptr;
    }
    filter->setText(m_filter->text(), models::MessageFilter::Mode(mode),
                    models::MessageFilter::Fields(models::MessageFilter::KeyField |
                                                  models::MessageFilter::ValueField |
                                                  models::MessageFilter::HeadersField));
    if (!filter->isValid()) {
        *error = filter->errorString();
        return false;
    }
    return true;
}

void MessageBrowserPane::runFilter()
{
    m_filterDelay->stop();
    m_filtering.cancel(); // a later keystroke replaces the earlier run
    models::MessageFilter filter;
    if (QString error; !buildFilter(&filter, &error)) {
        m_filterStatus->setText(error);
        return;
    }
    if (filter.isEmpty()) {
        m_proxy->clearFilter();
        m_filterStatus->clear();
        Q_EMIT filterFinished(m_model->rowCount());
        return;
    }
    const quint64 serial = ++m_filterSerial;
    auto snapshot = m_model->snapshot();
    m_filterStatus->setText(tr("Filtering %L1 messages…").arg(snapshot->size()));
    jobs::ProgressReporter progress(
        jobs::Mailbox::create(this), [this, serial](qint64 done, qint64 total) {
            if (serial == m_filterSerial)
                m_filterStatus->setText(
                    tr("Filtering… %1%").arg(done * 100 / std::max<qint64>(1, total)));
        });
    m_filtering =
        jobs::localPool().submit([snapshot, filter, progress](const jobs::JobToken &token) mutable {
            return models::filterRows(
                *snapshot, filter, &token.state()->cancelled,
                [&progress](int done, int total) { progress.report(done, total); });
        });
    m_filtering.then(this, [this, serial,
                            generation = snapshot->generation()](const QVector<int> &rows) {
        if (serial != m_filterSerial)
            return;
        // Rows moved (sorted, live tail) since the snapshot: run again on the new ones.
        if (generation != m_model->rows().generation()) {
            runFilter();
            return;
        }
        m_proxy->setRows(rows);
        m_filterStatus->setText(tr("%L1 of %L2 match").arg(rows.size()).arg(m_model->rowCount()));
        Q_EMIT filterFinished(int(rows.size()));
    });
}

void MessageBrowserPane::sortBy(int column, Qt::SortOrder order)
{
    m_sorting.cancel(); // a second click replaces the first
    m_sortPending = true;
    auto snapshot = m_model->snapshot();
    const int rows = snapshot->size();
    m_filterStatus->setText(tr("Sorting %L1 messages…").arg(rows));
    jobs::ProgressReporter progress(jobs::Mailbox::create(this), [this](qint64 done, qint64 total) {
        if (isSorting())
            m_filterStatus->setText(
                tr("Sorting… %1%").arg(done * 100 / std::max<qint64>(1, total)));
    });
    m_sorting = jobs::localPool().submit(
        [snapshot, column, order, progress](const jobs::JobToken &token) mutable {
            return models::sortMessageRows(*snapshot, column, order, &token, &progress);
        });
    const jobs::Pending<std::vector<int>> job = m_sorting;
    m_sorting.then(this, [this, job, column, order,
                          generation = snapshot->generation()](std::vector<int> sorted) {
        if (job.id() != m_sorting.id())
            return;
        m_sortPending = false;
        // Rows left or moved meanwhile (live tail): sort what is there now.
        if (!m_model->applyOrder(std::move(sorted), generation)) {
            sortBy(column, order);
            return;
        }
        m_filterStatus->setText(tr("Sorted %L1 messages.").arg(m_model->rowCount()));
        updateInputs();
        Q_EMIT sortFinished();
    });
    updateInputs();
}

void MessageBrowserPane::exportTo(const QString &path, bool csv, const QString &scope)
{
    std::vector<int> rows; // empty: all, in the order shown
    if (scope == QLatin1String("filtered") && m_proxy->isFiltered()) {
        rows.reserve(std::size_t(m_proxy->rowCount()));
        for (int r = 0; r < m_proxy->rowCount(); ++r)
            rows.push_back(m_proxy->mapToSource(m_proxy->index(r, 0)).row());
    } else if (scope == QLatin1String("selected")) {
        for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
            rows.push_back(m_proxy->mapToSource(index).row());
        std::sort(rows.begin(), rows.end());
        if (rows.empty()) {
            Q_EMIT exportFinished(false, tr("Nothing is selected."));
            return;
        }
    }
    m_status->setText(tr("Exporting…"));
    jobs::ProgressReporter progress(jobs::Mailbox::create(this), [this](qint64 done, qint64 total) {
        m_status->setText(tr("Exporting… %L1 of %L2 messages").arg(done).arg(total));
    });
    models::exportMessages(m_model->snapshot(), std::move(rows), path,
                           csv ? models::ExportFormat::Csv : models::ExportFormat::JsonLines,
                           progress)
        .then(this, [this](const models::ExportOutcome &outcome) {
            m_status->setText(outcome.message);
            Q_EMIT exportFinished(outcome.ok, outcome.message);
        });
}

} // namespace periscope::widgets
