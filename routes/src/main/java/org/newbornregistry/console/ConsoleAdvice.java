package org.newbornregistry.console;

import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

import java.util.List;

/** What every console page needs (the user and the menu), and how an API refusal is shown. */
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
public class ConsoleAdvice {

    @ModelAttribute("menu")
    public List<ConsoleNavigation.Item> menu() {
        return ConsoleNavigation.itemsFor(SecurityContextHolder.getContext().getAuthentication());
    }

    @ModelAttribute("userName")
    public String userName() {
        Authentication user = SecurityContextHolder.getContext().getAuthentication();
        return user == null || user instanceof AnonymousAuthenticationToken || !user.isAuthenticated() ? null : user.getName();
    }

    /**
     * The API's refusal, with its status: 403 shows what the API said; 401 (the session's token
     * expired) sends the user to sign in again.
     */
    @ExceptionHandler(ApiRefusedException.class)
    public String refused(ApiRefusedException refusal, Model model, HttpServletResponse response) {
        if (refusal.status() == 401) {
            return "redirect:" + ConsoleSecurityConfiguration.SIGN_IN + "?expired";
        }
        response.setStatus(refusal.status());
        // Why: an exception handler's model does not get the @ModelAttribute values.
        model.addAttribute("menu", menu());
        model.addAttribute("userName", userName());
        model.addAttribute("status", refusal.status());
        model.addAttribute("reason", refusal.getMessage());
        return "console/refused";
    }
}
