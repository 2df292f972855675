/**
 * The todo-list sample's shared definition: {@link dev.tandem.sample.todo.TodoApp} (its schema and
 * mutators), the mutators' args ({@link dev.tandem.sample.todo.TodoArgs}) and the rows they write
 * ({@link dev.tandem.sample.todo.TodoList}, {@link dev.tandem.sample.todo.Todo}).
 *
 * <p>The client runs these mutators optimistically and the Tandem server runs the same code
 * authoritatively, so everything in this package depends only on {@code tandem-app-definition} (and
 * the JDK): no sdk-core, no Swing, nothing the server lacks. The one exception is {@link
 * dev.tandem.sample.todo.TodoMain}, the launcher of the sample's jar, which the server never loads;
 * the window and the headless mode live in {@code dev.tandem.sample.todo.ui}. {@code
 * TodoDefinitionDependenciesTest} checks this.
 */
package dev.tandem.sample.todo;
