#include "window/logdock.h"

#include "common/logmodel.h"
#include "common/paneutil.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>

namespace periscope::widgets {

LogDock::LogDock(models::LogModel *model, QWidget *parent)
    : QDockWidget(tr("Log"), parent)
    , m_view(new QTableView(this))
{
    setObjectName(QStringLiteral("logDock"));
    configureTable(m_view, model);
    m_view->setSortingEnabled(false);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setColumnWidth(models::LogModel::Time, 170);
    m_view->setColumnWidth(models::LogModel::Level, 70);
    m_view->setColumnWidth(models::LogModel::Source, 90);
    m_view->horizontalHeader()->setStretchLastSection(true);
    setWidget(m_view);
    // Follow the end only when the user is already there.
    connect(model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        QScrollBar *bar = m_view->verticalScrollBar();
        m_view->setProperty("follow", bar->value() == bar->maximum());
    });
    connect(model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_view->property("follow").toBool())
            m_view->scrollToBottom();
    });
}

} // namespace periscope::widgets
