/*
 * ShowDeadlines: zaakflow embedded in a tiny service-like class.
 *
 * DeadlineService keeps running cases by case number, takes events from the
 * outside world (a web request, a message queue...), and answers the question
 * a municipality's case worker asks every morning: which deadlines run out?
 *
 * Build and run against the build tree (BUILD = your build directory):
 *   javac -cp BUILD/bindings/java/zaakflow.jar -d /tmp/ex examples/java/ShowDeadlines.java
 *   LD_LIBRARY_PATH=BUILD/lib/.libs java -cp BUILD/bindings/java/zaakflow.jar:/tmp/ex \
 *       -Djava.library.path=BUILD/bindings/java/.libs ShowDeadlines processes
 * Installed: -cp $datadir/java/zaakflow.jar -Djava.library.path=$libdir/zaakflow
 */
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import nl.zaakflow.Case;
import nl.zaakflow.Deadline;
import nl.zaakflow.Definition;
import nl.zaakflow.Effect;
import nl.zaakflow.Term;
import nl.zaakflow.ZaakflowException;

public final class ShowDeadlines {
    /** One open deadline of one case. */
    static final class Due {
        final String caseNumber;
        final Term term;

        Due(String caseNumber, Term term) {
            this.caseNumber = caseNumber;
            this.term = term;
        }
    }

    /** The service: definitions loaded once, cases by number, one lock. */
    static final class DeadlineService implements AutoCloseable {
        private final Path processes;
        private final Map<String, Definition> definitions = new HashMap<>();
        private final Map<String, Case> cases = new LinkedHashMap<>();

        DeadlineService(Path processes) {
            this.processes = processes;
        }

        private Definition definition(String process) {
            return definitions.computeIfAbsent(process,
                p -> Definition.load(processes.resolve(p + ".xml")));
        }

        synchronized void open(String number, String process, LocalDate date,
                               Map<String, ?> variables) {
            cases.put(number, definition(process).start(date, variables));
        }

        /** Handle an event; returns what the host must do (letters, follow-up cases). */
        synchronized List<Effect> handle(String number, String event, LocalDate date,
                                         String actor, String roles, Map<String, ?> params) {
            Case c = cases.get(number);
            if (c == null) {
                throw new IllegalArgumentException("no case " + number);
            }
            return c.fire(event, date, actor, roles, params);
        }

        /** Running terms ending on or before `until`, earliest first. */
        synchronized List<Due> dueUntil(LocalDate until) {
            List<Due> out = new ArrayList<>();
            for (Map.Entry<String, Case> e : cases.entrySet()) {
                for (Term t : e.getValue().terms()) {
                    if ("running".equals(t.status()) && !t.end().isAfter(until)) {
                        out.add(new Due(e.getKey(), t));
                    }
                }
            }
            out.sort(Comparator.comparing((Due d) -> d.term.end()).thenComparing(d -> d.caseNumber));
            return out;
        }

        @Override
        public synchronized void close() {
            cases.values().forEach(Case::close);
            definitions.values().forEach(Definition::close);
        }
    }

    private ShowDeadlines() {
    }

    public static void main(String[] args) {
        Path processes = Paths.get(args.length > 0 ? args[0] : "processes");
        LocalDate sent = LocalDate.of(2026, 3, 2);

        Deadline d = Deadline.compute(LocalDate.of(2026, 4, 3), "6w");
        System.out.println("bezwaartermijn from 2026-04-03: last day " + d.lastDay());
        System.out.print(d.explanation());

        try (DeadlineService service = new DeadlineService(processes)) {
            Map<String, Object> vars = new HashMap<>();
            vars.put("verzonden", sent);
            vars.put("commissie_gemeld", true);
            service.open("Z-2026-0001", "bezwaar", sent, vars);
            service.open("Z-2026-0002", "bezwaar", sent.plusDays(7), Map.of("verzonden", sent.plusDays(7)));

            Map<String, Object> receipt = new HashMap<>();
            receipt.put("ontvangen", LocalDate.of(2026, 3, 20));
            receipt.put("per_post", false);
            for (Effect e : service.handle("Z-2026-0001", "bezwaarschrift_ontvangen",
                                           LocalDate.of(2026, 3, 20), "jan", "behandelaar", receipt)) {
                System.out.println("effect: " + e);
            }
            try {
                service.handle("Z-2026-0001", "gehoord", LocalDate.of(2026, 3, 21), "jan",
                               "behandelaar", null);
            } catch (ZaakflowException e) {
                System.out.println("refused: " + e.getMessage() + " (" + e.getClass().getSimpleName() + ")");
            }

            System.out.println("deadlines until 2026-12-31:");
            for (Due due : service.dueUntil(LocalDate.of(2026, 12, 31))) {
                System.out.printf("  %s  %-12s %-16s %s%n", due.term.end(), due.caseNumber,
                                  due.term.id(), due.term.basis());
            }
        }
    }
}
