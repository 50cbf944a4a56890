#pragma once

#include <QDockWidget>

class QTableView;

namespace periscope::models {
class LogModel;
}

namespace periscope::widgets {

// The application log as a dock: newest at the bottom, follows while scrolled to the end.
class LogDock final : public QDockWidget
{
    Q_OBJECT
public:
    LogDock(models::LogModel *model, QWidget *parent = nullptr);

private:
    QTableView *m_view;
};

} // namespace periscope::widgets
