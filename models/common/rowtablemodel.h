#pragma once

#include <QAbstractTableModel>
#include <QList>

namespace periscope::models {

// A table over a list of plain rows, refreshed as a whole. The same rows coming again
// (a new lag sample of the same partitions, say) update in place with one ranged
// dataChanged, so views keep their selection and scroll; a different set resets.
template <typename Row>
class RowTableModel : public QAbstractTableModel
{
public:
    RowTableModel(int columns, QObject *parent)
        : QAbstractTableModel(parent)
        , m_columns(columns)
    {}

    const Row *rowAt(int row) const
    {
        return row >= 0 && row < m_rows.size() ? &m_rows[row] : nullptr;
    }
    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : m_columns;
    }

protected:
    // `same` tells whether two rows stand for the same item. Columns before
    // firstChangingColumn only show what `same` compares, so an in-place update leaves
    // them out: a view sorted by one of them then keeps its order without re-sorting.
    template <typename Same>
    void replaceRows(QList<Row> rows, Same same, int firstChangingColumn = 0)
    {
        bool unchanged = rows.size() == m_rows.size();
        for (qsizetype i = 0; unchanged && i < rows.size(); ++i)
            unchanged = same(rows[i], m_rows[i]);
        if (unchanged) {
            m_rows = std::move(rows);
            if (!m_rows.isEmpty())
                Q_EMIT dataChanged(index(0, firstChangingColumn),
                                   index(rowCount() - 1, m_columns - 1));
            return;
        }
        resetRows(std::move(rows));
    }

    void resetRows(QList<Row> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }

    QList<Row> m_rows;

private:
    int m_columns;
};

} // namespace periscope::models
