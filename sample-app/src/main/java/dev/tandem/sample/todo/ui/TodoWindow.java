package dev.tandem.sample.todo.ui;

import dev.tandem.RefusedMutation;
import io.reactivex.rxjava3.disposables.CompositeDisposable;
import io.reactivex.rxjava3.disposables.Disposable;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Font;
import java.awt.event.KeyEvent;
import java.awt.event.MouseAdapter;
import java.awt.event.MouseEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.List;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JOptionPane;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JSplitPane;
import javax.swing.JTextField;
import javax.swing.JToggleButton;
import javax.swing.KeyStroke;
import javax.swing.ListSelectionModel;
import javax.swing.SwingUtilities;

/**
 * The todo window: lists on the left (with their open counts), the todos of the selected list on
 * the right with checkboxes, fields to add lists and todos, rename and delete, "syncing" marks
 * until the server confirms a change, a notice when the server refuses one, an offline switch, a
 * status bar, and a banner when the server needs a newer app. Everything runs on the Swing thread;
 * results from Tandem are handed to it with {@code invokeLater}.
 */
final class TodoWindow {
  private final TodoClient client;
  private final JFrame frame;
  private final CompositeDisposable subscriptions = new CompositeDisposable();
  private final DefaultListModel<ListItem> listModel = new DefaultListModel<>();
  private final JList<ListItem> lists = new JList<>(listModel);
  private final DefaultListModel<TodoItem> todoModel = new DefaultListModel<>();
  private final JList<TodoItem> todos = new JList<>(todoModel);
  private final JLabel listTitle = new JLabel(" ");
  private final JTextField newTodo = new JTextField();
  private final JLabel status = new JLabel(" ");
  private final JLabel banner = bar(new Color(0xB0, 0x20, 0x20), Color.WHITE);
  private final JLabel refusedText = bar(new Color(0xFF, 0xF1, 0xC2), new Color(0x5C, 0x45, 0x00));
  private final JPanel refused = new JPanel(new BorderLayout());
  private Disposable todosSubscription = Disposable.empty();
  private String selectedListID;
  private boolean updatingLists;

  private TodoWindow(TodoClient client) {
    this.client = client;
    this.frame = new JFrame("Tandem todo — " + client.user());
  }

  static void open(TodoClient client) {
    SwingUtilities.invokeLater(() -> new TodoWindow(client).build());
  }

  private void build() {
    JPanel north = new JPanel(new BorderLayout());
    JPanel notices = new JPanel(new BorderLayout());
    banner.setVisible(false);
    notices.add(banner, BorderLayout.NORTH);
    JButton dismiss = new JButton("Dismiss");
    dismiss.addActionListener(e -> refused.setVisible(false));
    refused.setBackground(refusedText.getBackground());
    refused.add(refusedText, BorderLayout.CENTER);
    JPanel dismissBox = new JPanel(new BorderLayout());
    dismissBox.setOpaque(false);
    dismissBox.setBorder(BorderFactory.createEmptyBorder(3, 0, 3, 8));
    dismissBox.add(dismiss);
    refused.add(dismissBox, BorderLayout.EAST);
    refused.setVisible(false);
    notices.add(refused, BorderLayout.SOUTH);
    north.add(notices, BorderLayout.NORTH);
    north.add(topBar(), BorderLayout.SOUTH);

    JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, listsPane(), todosPane());
    split.setDividerLocation(220);
    split.setBorder(BorderFactory.createEmptyBorder());

    status.setBorder(
        BorderFactory.createCompoundBorder(
            BorderFactory.createMatteBorder(1, 0, 0, 0, new Color(0xD0, 0xD0, 0xD0)),
            BorderFactory.createEmptyBorder(5, 10, 5, 10)));
    status.setForeground(new Color(0x44, 0x44, 0x44));

    frame.add(north, BorderLayout.NORTH);
    frame.add(split, BorderLayout.CENTER);
    frame.add(status, BorderLayout.SOUTH);
    frame.setSize(700, 460);
    frame.setLocationByPlatform(true);
    if (Boolean.getBoolean("tandem.todo.topLeft")) frame.setLocation(0, 0);
    subscribe();
    frame.addWindowListener(
        new WindowAdapter() {
          @Override
          public void windowClosing(WindowEvent e) {
            todosSubscription.dispose();
            subscriptions.dispose();
            client.close();
            frame.dispose();
          }
        });
    frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
    frame.setVisible(true);
  }

  private JComponent topBar() {
    JLabel name = new JLabel("You are " + client.user());
    name.setFont(name.getFont().deriveFont(Font.BOLD));
    JToggleButton offline = new JToggleButton("Go offline");
    subscriptions.add(
        client
            .status()
            .firstElement()
            .subscribe(
                s ->
                    SwingUtilities.invokeLater(
                        () -> {
                          offline.setSelected(!s.online());
                          offline.setText(s.online() ? "Go offline" : "Go online");
                        })));
    offline.addActionListener(
        e -> {
          boolean off = offline.isSelected();
          offline.setText(off ? "Go online" : "Go offline");
          client.setOnline(!off);
        });
    JPanel top = new JPanel(new BorderLayout());
    top.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
    top.add(name, BorderLayout.WEST);
    top.add(offline, BorderLayout.EAST);
    return top;
  }

  private JComponent listsPane() {
    lists.setCellRenderer(new ListRenderer(client.user()));
    lists.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
    lists.addListSelectionListener(
        e -> {
          if (updatingLists || e.getValueIsAdjusting()) return;
          ListItem list = lists.getSelectedValue();
          if (list != null && !list.id().equals(selectedListID)) select(list);
        });
    JTextField name = new JTextField();
    name.putClientProperty("JTextField.placeholderText", "New list");
    JButton create = new JButton("New list");
    Runnable createNow =
        () -> {
          String text = name.getText().strip();
          if (text.isEmpty()) return;
          selectedListID = client.createList(text);
          name.setText("");
          watchTodos(selectedListID, text);
        };
    name.addActionListener(e -> createNow.run());
    create.addActionListener(e -> createNow.run());
    JPanel add = new JPanel(new BorderLayout(6, 0));
    add.setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
    add.add(name, BorderLayout.CENTER);
    add.add(create, BorderLayout.EAST);
    JLabel heading = new JLabel("Lists");
    heading.setFont(heading.getFont().deriveFont(Font.BOLD));
    heading.setBorder(BorderFactory.createEmptyBorder(8, 10, 6, 10));
    JPanel pane = new JPanel(new BorderLayout());
    pane.add(heading, BorderLayout.NORTH);
    pane.add(new JScrollPane(lists), BorderLayout.CENTER);
    pane.add(add, BorderLayout.SOUTH);
    return pane;
  }

  private JComponent todosPane() {
    todos.setCellRenderer(new TodoRenderer());
    todos.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
    todos.addMouseListener(
        new MouseAdapter() {
          @Override
          public void mouseClicked(MouseEvent e) {
            int index = todos.locationToIndex(e.getPoint());
            if (index < 0 || !todos.getCellBounds(index, index).contains(e.getPoint())) return;
            TodoItem todo = todoModel.get(index);
            if (e.getClickCount() == 2) rename(todo);
            else if (e.getX() - todos.getCellBounds(index, index).x < TodoRenderer.CHECKBOX_WIDTH) {
              client.setDone(todo, !todo.done());
            }
          }
        });
    todos.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_SPACE, 0), "toggle");
    todos
        .getActionMap()
        .put("toggle", action(() -> whenSelected(t -> client.setDone(t, !t.done()))));
    todos.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_DELETE, 0), "delete");
    todos.getActionMap().put("delete", action(() -> whenSelected(client::delete)));

    JButton add = new JButton("Add");
    Runnable addNow =
        () -> {
          String text = newTodo.getText().strip();
          if (text.isEmpty() || selectedListID == null) return;
          client.addTodo(selectedListID, text);
          newTodo.setText("");
        };
    newTodo.addActionListener(e -> addNow.run());
    add.addActionListener(e -> addNow.run());
    JButton rename = new JButton("Rename…");
    rename.addActionListener(e -> whenSelected(this::rename));
    JButton delete = new JButton("Delete");
    delete.addActionListener(e -> whenSelected(client::delete));
    JPanel buttons = new JPanel(new BorderLayout(6, 0));
    JPanel edit = new JPanel(new java.awt.GridLayout(1, 2, 6, 0));
    edit.add(rename);
    edit.add(delete);
    JPanel addRow = new JPanel(new BorderLayout(6, 0));
    addRow.add(newTodo, BorderLayout.CENTER);
    addRow.add(add, BorderLayout.EAST);
    buttons.add(addRow, BorderLayout.CENTER);
    buttons.add(edit, BorderLayout.EAST);
    buttons.setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
    setEditable(false);

    listTitle.setFont(
        listTitle.getFont().deriveFont(Font.BOLD, listTitle.getFont().getSize2D() + 3));
    listTitle.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
    JPanel pane = new JPanel(new BorderLayout());
    pane.add(listTitle, BorderLayout.NORTH);
    pane.add(new JScrollPane(todos), BorderLayout.CENTER);
    pane.add(buttons, BorderLayout.SOUTH);
    return pane;
  }

  private void subscribe() {
    subscriptions.add(
        client.lists().subscribe(found -> SwingUtilities.invokeLater(() -> showLists(found))));
    subscriptions.add(
        client
            .status()
            .subscribe(s -> SwingUtilities.invokeLater(() -> status.setText(Format.status(s)))));
    subscriptions.add(
        client.refusedMutations().subscribe(r -> SwingUtilities.invokeLater(() -> showRefused(r))));
    subscriptions.add(
        client
            .updateNeeded()
            .subscribe(
                u ->
                    SwingUtilities.invokeLater(
                        () -> {
                          banner.setText(
                              "This app is out of date: the server no longer supports its "
                                  + (u.versionType() == null
                                      ? "version"
                                      : u.versionType() + " version")
                                  + ". Update to keep syncing; your changes are kept.");
                          banner.setVisible(true);
                        })));
  }

  private void showLists(List<ListItem> found) {
    updatingLists = true;
    try {
      listModel.clear();
      int selected = -1;
      for (int i = 0; i < found.size(); i++) {
        listModel.addElement(found.get(i));
        if (found.get(i).id().equals(selectedListID)) selected = i;
      }
      if (selected >= 0) {
        lists.setSelectedIndex(selected);
        listTitle.setText(found.get(selected).name());
      } else if (selectedListID == null && !found.isEmpty()) {
        lists.setSelectedIndex(0);
        select(found.get(0));
      }
    } finally {
      updatingLists = false;
    }
  }

  private void select(ListItem list) {
    selectedListID = list.id();
    watchTodos(list.id(), list.name());
  }

  private void watchTodos(String listID, String name) {
    listTitle.setText(name);
    setEditable(true);
    todosSubscription.dispose();
    todoModel.clear();
    todosSubscription =
        client
            .todos(listID)
            .subscribe(
                found ->
                    SwingUtilities.invokeLater(
                        () -> {
                          if (!listID.equals(selectedListID)) return;
                          String selectedID =
                              todos.getSelectedValue() == null
                                  ? null
                                  : todos.getSelectedValue().id();
                          todoModel.clear();
                          for (TodoItem todo : found) {
                            todoModel.addElement(todo);
                            if (todo.id().equals(selectedID)) {
                              todos.setSelectedIndex(todoModel.size() - 1);
                            }
                          }
                        }));
  }

  private void showRefused(RefusedMutation r) {
    refusedText.setText(
        "<html>The server refused <b>"
            + r.mutation().name()
            + "</b> and undid it: "
            + escape(r.reason())
            + "</html>");
    refused.setVisible(true);
  }

  private void rename(TodoItem todo) {
    Object title =
        JOptionPane.showInputDialog(
            frame, "New title", "Rename todo", JOptionPane.PLAIN_MESSAGE, null, null, todo.title());
    if (title != null && !title.toString().isBlank()) client.rename(todo, title.toString().strip());
  }

  private void whenSelected(java.util.function.Consumer<TodoItem> action) {
    TodoItem todo = todos.getSelectedValue();
    if (todo != null) action.accept(todo);
  }

  private void setEditable(boolean editable) {
    newTodo.setEnabled(editable);
  }

  private static javax.swing.Action action(Runnable run) {
    return new javax.swing.AbstractAction() {
      private static final long serialVersionUID = 1L;

      @Override
      public void actionPerformed(java.awt.event.ActionEvent e) {
        run.run();
      }
    };
  }

  private static JLabel bar(Color background, Color foreground) {
    JLabel label = new JLabel(" ");
    label.setOpaque(true);
    label.setBackground(background);
    label.setForeground(foreground);
    label.setBorder(BorderFactory.createEmptyBorder(6, 10, 6, 10));
    return label;
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
