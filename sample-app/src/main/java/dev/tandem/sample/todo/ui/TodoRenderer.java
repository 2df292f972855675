package dev.tandem.sample.todo.ui;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Font;
import javax.swing.BorderFactory;
import javax.swing.JCheckBox;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.ListCellRenderer;

/** A checkbox, the title (struck through when done), and "syncing…" until the server has it. */
final class TodoRenderer implements ListCellRenderer<TodoItem> {
  /** Clicks this close to a cell's left edge toggle the todo. */
  static final int CHECKBOX_WIDTH = 34;

  private final JPanel cell = new JPanel(new BorderLayout(4, 0));
  private final JCheckBox box = new JCheckBox();
  private final JLabel title = new JLabel();
  private final JLabel mark = new JLabel("syncing…");

  TodoRenderer() {
    cell.setBorder(BorderFactory.createEmptyBorder(3, 8, 3, 10));
    box.setOpaque(false);
    cell.add(box, BorderLayout.WEST);
    cell.add(title, BorderLayout.CENTER);
    cell.add(mark, BorderLayout.EAST);
    mark.setFont(mark.getFont().deriveFont(Font.ITALIC, mark.getFont().getSize2D() - 1));
  }

  @Override
  public Component getListCellRendererComponent(
      JList<? extends TodoItem> list, TodoItem todo, int index, boolean selected, boolean focused) {
    box.setSelected(todo.done());
    String text = TodoWindow.escape(todo.title());
    title.setText(todo.done() ? "<html><s>" + text + "</s></html>" : "<html>" + text + "</html>");
    mark.setVisible(todo.pending());
    cell.setBackground(selected ? list.getSelectionBackground() : list.getBackground());
    cell.setOpaque(true);
    Color text0 = selected ? list.getSelectionForeground() : list.getForeground();
    title.setForeground(todo.done() && !selected ? new Color(0x88, 0x88, 0x88) : text0);
    mark.setForeground(selected ? text0 : new Color(0x99, 0x99, 0x99));
    return cell;
  }
}
